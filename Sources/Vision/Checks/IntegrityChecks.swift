/// Files that are missing, unlisted, undecodable, over budget or of another size than declared, and exact or
/// pixel-identical duplicates.
enum IntegrityChecks {
    static func run(_ context: CheckContext) -> [Flag] {
        var flags: [Flag] = []
        for (position, image) in context.images.enumerated() {
            let path = image.entry.path
            if image.isRepeat {
                let at = image.entry.location.map { " at \($0)" } ?? ""
                flags.append(Flag(Finding(
                    .duplicateID, item: path,
                    message: "the image is declared more than once (again\(at)); declare each image once"), image: position))
                continue
            }
            guard let summary = image.summary else {
                let declaredAt = image.entry.location.map { " (declared at \($0))" } ?? ""
                flags.append(Flag(Finding(
                    .missingImage, item: path,
                    message: "the annotations name this image\(declaredAt) but the file is not in the dataset; "
                        + "add it or remove its annotations"), image: position))
                continue
            }
            if !image.isDeclared {
                flags.append(Flag(Finding(
                    .unlistedImage, item: path,
                    message: "no annotation file lists this image; annotate it or remove it"), image: position))
            }
            if let failure = summary.failure {
                flags.append(Flag(decodingFinding(failure, path: path), image: position))
            }
            if let header = summary.header, let width = image.entry.declaredWidth, let height = image.entry.declaredHeight,
                width != header.width || height != header.height
            {
                flags.append(Flag(Finding(
                    .sizeMismatch, item: path,
                    message: "the annotations say \(width)×\(height) but the image is \(header.width)×\(header.height); "
                        + "fix the declared size (boxes may have been drawn for another resolution)",
                    details: ["declared": [.int(width), .int(height)], "actual": [.int(header.width), .int(header.height)]]),
                    image: position))
            }
        }
        flags += duplicates(context)
        return flags
    }

    private static func decodingFinding(_ failure: ImageDecodingFailure, path: String) -> Finding {
        let details: [String: ReportValue] = ["reason": .string(failure.kind.rawValue)]
        switch failure.kind {
        case .truncated:
            return Finding(.truncatedImage, item: path, message: "\(failure.message); the file is cut short — re-export or re-download it", details: details)
        case .overPixelBudget:
            return Finding(.overPixelBudget, item: path, message: failure.message, details: details)
        case .notAnImage, .unsupported, .corrupt:
            return Finding(.undecodableImage, item: path, message: "\(failure.message); replace the file with a valid PNG or JPEG", details: details)
        }
    }

    /// Byte-identical files, then different files with identical pixels; each later copy names the first.
    private static func duplicates(_ context: CheckContext) -> [Flag] {
        var flags: [Flag] = []
        var firstByFile: [ContentDigest: Int] = [:]
        struct PixelKey: Hashable { var digest: ContentDigest; var width: Int; var height: Int }
        var firstByPixels: [PixelKey: Int] = [:]
        for (position, image) in context.images.enumerated() where !image.isRepeat {
            guard let summary = image.summary else { continue }
            if let first = firstByFile[summary.fileDigest] {
                let original = context.images[first].entry.path
                flags.append(Flag(Finding(
                    .exactDuplicate, item: image.entry.path,
                    message: "the same file as \(original); keep one copy",
                    details: ["other": .string(original)]), image: position))
                continue
            }
            firstByFile[summary.fileDigest] = position
            guard let digest = summary.pixelDigest, let header = summary.header else { continue }
            let key = PixelKey(digest: digest, width: header.width, height: header.height)
            if let first = firstByPixels[key] {
                let original = context.images[first].entry.path
                flags.append(Flag(Finding(
                    .identicalPixels, item: image.entry.path,
                    message: "decodes to exactly the pixels of \(original) (a re-encoded copy); keep one",
                    details: ["other": .string(original)]), image: position))
            } else {
                firstByPixels[key] = position
            }
        }
        return flags
    }
}
