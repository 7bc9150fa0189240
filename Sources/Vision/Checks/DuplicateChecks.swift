import LightboxCrypto

/// Near-duplicates by PDQ: within the dataset, with different labels, across splits, and against images already
/// listed on the marketplace.
enum DuplicateChecks {
    static func run(_ context: CheckContext, listed: ListedImageIndex?) -> [Flag] {
        let thresholds = context.thresholds
        var flags: [Flag] = []
        var hashed: [Int] = []
        for (position, image) in context.images.enumerated() where !image.isRepeat {
            guard let pdq = image.summary?.pdq, image.summary?.failure == nil else { continue }
            if pdq.quality < thresholds.minimumHashQuality {
                flags.append(Flag(Finding(
                    .lowHashQuality, item: image.entry.path,
                    message: "PDQ quality \(pdq.quality) is below \(thresholds.minimumHashQuality): too flat for its "
                        + "near-duplicates to be found",
                    details: ["quality": .int(pdq.quality)]), image: position))
            } else {
                hashed.append(position)
            }
        }
        let index = PDQIndex(hashed.map { context.images[$0].summary!.pdq!.hash })
        let distance = min(thresholds.nearDuplicateDistance, PDQIndex.maximumDistance)
        for (offset, position) in hashed.enumerated() {
            let image = context.images[position]
            let summary = image.summary!
            // Each image is compared with those before it, and reports the nearest: one finding per later copy.
            let earlier = index.matches(of: summary.pdq!.hash, within: distance).filter { $0.position < offset }
            guard !earlier.isEmpty else { continue }
            let identical = earlier.first { match in
                let other = context.images[hashed[match.position]].summary!
                return other.fileDigest == summary.fileDigest || other.pixelDigest == summary.pixelDigest
            }
            if let mine = split(context, position), let leak = earlier.first(where: {
                split(context, hashed[$0.position]).map { $0 != mine } ?? false
            }) {
                let other = context.images[hashed[leak.position]]
                flags.append(Flag(Finding(
                    .splitLeakage, item: image.entry.path,
                    message: "in \(image.entry.split!) but a near-duplicate of \(other.entry.path) in \(other.entry.split!) "
                        + "(PDQ distance \(leak.distance)); keep near-duplicates in one split",
                    details: ["other": .string(other.entry.path), "distance": .int(leak.distance)]), image: position))
            }
            let labels = context.labels(ofImage: position)
            if !labels.isEmpty, let conflict = earlier.first(where: {
                let others = context.labels(ofImage: hashed[$0.position])
                return !others.isEmpty && others != labels
            }) {
                let other = context.images[hashed[conflict.position]]
                let names = labels.sorted().map { context.name(ofCategory: $0) }.joined(separator: ", ")
                let otherNames = context.labels(ofImage: hashed[conflict.position]).sorted().map { context.name(ofCategory: $0) }
                    .joined(separator: ", ")
                flags.append(Flag(Finding(
                    .labelConflict, item: image.entry.path,
                    message: "labelled \(names) but its near-duplicate \(other.entry.path) is labelled \(otherNames); "
                        + "one of them is probably mislabelled",
                    details: ["other": .string(other.entry.path), "distance": .int(conflict.distance)]), image: position))
            }
            if identical == nil, let nearest = earlier.min(by: { $0.distance < $1.distance }) {
                let other = context.images[hashed[nearest.position]]
                flags.append(Flag(Finding(
                    .nearDuplicate, item: image.entry.path,
                    message: "a near-duplicate of \(other.entry.path) (PDQ distance \(nearest.distance) of 256 bits)",
                    details: ["other": .string(other.entry.path), "distance": .int(nearest.distance)]), image: position))
            }
        }
        if let listed, listed.count > 0 {
            flags += listedCopies(context, hashed: Set(hashed), listed: listed)
        }
        return flags
    }

    private static func split(_ context: CheckContext, _ position: Int) -> String? {
        context.images[position].entry.split
    }

    private static let variantNames = ["", "rotated 90°", "rotated 180°", "rotated 270°", "flipped", "flipped",
                                       "flipped on a diagonal", "flipped on a diagonal"]

    /// Images already listed elsewhere: the same bytes or the same pixels as a listed image (whatever its PDQ
    /// quality: a flat image has no useful hash but is still somebody's), else a PDQ near-duplicate of one.
    private static func listedCopies(_ context: CheckContext, hashed: Set<Int>, listed: ListedImageIndex) -> [Flag] {
        let distance = min(context.thresholds.listedDistance, PDQIndex.maximumDistance)
        return context.images.indices.compactMap { position in
            let image = context.images[position]
            guard !image.isRepeat, let summary = image.summary, summary.failure == nil else { return nil }
            if let copy = listed.exactCopy(sha256: summary.sha256.hexString, pixels: summary.pixelFingerprint) {
                let what = copy.sameBytes ? "a byte-identical copy" : "the same pixels (re-encoded)"
                return Flag(Finding(
                    .listedElsewhere, item: image.entry.path,
                    message: "\(what) of \(copy.image.path) in listing \(copy.image.listing) already on the marketplace; "
                        + "only its owner may list it",
                    details: [
                        "listing": .string(copy.image.listing), "listed_path": .string(copy.image.path),
                        "match": .string(copy.sameBytes ? "bytes" : "pixels"),
                    ]), image: position)
            }
            guard hashed.contains(position),
                let match = listed.nearest(to: [summary.pdq!.hash] + summary.pdqVariants, within: distance)
            else { return nil }
            let how = match.variant == 0 ? "" : " (\(variantNames[match.variant]))"
            return Flag(Finding(
                .listedElsewhere, item: image.entry.path,
                message: "a near-duplicate\(how) of \(match.image.path) in listing \(match.image.listing) already on "
                    + "the marketplace (PDQ distance \(match.distance)); only its owner may list it",
                details: [
                    "listing": .string(match.image.listing), "listed_path": .string(match.image.path),
                    "distance": .int(match.distance),
                ]), image: position)
        }
    }
}
