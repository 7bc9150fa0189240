import Foundation
import LightboxCrypto
public import Logging

/// Checks a dataset directory: reads its annotations, decodes, hashes and measures every image on all cores, runs
/// every check and writes the report.
public struct DatasetChecker: Sendable {
    /// The annotation format, or nil to detect it.
    public var format: AnnotationFormat?
    public var policy: QualityPolicy
    public var pixelBudget: Int
    /// How many images are decoded at once (default: one per core).
    public var concurrency: Int
    /// Images already listed on the marketplace, for `duplicate.listed`.
    public var listed: ListedImageIndex?
    /// The memory decoding may hold at once (files, pixels, hashing buffers), shared by every check in the
    /// process; nil for no bound beyond the pixel budget.
    public var memory: DecodingBudget?
    /// Summaries of images already read and analysed (by path), used instead of reading them again — the
    /// marketplace analyses uploaded images as they arrive. The caller vouches that each is of the file as it is
    /// now (its `sha256` is the file's).
    public var known: [String: ImageSummary] = [:]
    /// Where the check's phases are logged with their durations (debug level).
    public var logger: Logger?

    public init(
        format: AnnotationFormat? = nil, policy: QualityPolicy = QualityPolicy(),
        pixelBudget: Int = ImageDecoder.defaultPixelBudget,
        concurrency: Int? = nil, listed: ListedImageIndex? = nil, memory: DecodingBudget? = nil
    ) {
        self.memory = memory
        self.format = format
        self.policy = policy
        self.pixelBudget = pixelBudget
        self.concurrency = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        self.listed = listed
    }

    /// The outcome: the report, and what the overlays and the listed-image index need.
    public struct Outcome: Sendable {
        public var report: DatasetReport
        public var dataset: AnnotatedDataset
        /// One per image, declared images first (at the positions of `dataset.images`), then unlisted files;
        /// nil where the file is missing.
        public var summaries: [ImageSummary?]
        public var paths: [String]
    }

    /// Checks the dataset at `root`.
    /// - Parameter progress: called with (images done, images in all) as images finish.
    /// - Throws: ``VisionError`` when the dataset cannot be checked at all (not a directory, no annotations, format
    ///   unknown).
    public func check(root: String, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(VisionError) -> Outcome {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VisionError(.notADataset, "\(root) is not a directory; give the dataset's root folder")
        }
        var phase = PhaseClock(logger: logger)
        let dataset = try AnnotationReader.read(root: root, format: format)
        phase.done("annotations read", ["format": "\(dataset.format.rawValue)", "images": "\(dataset.images.count)",
                                        "annotations": "\(dataset.annotations.count)"])
        // Only regular files found by walking the root (no symbolic links, devices or FIFOs) are ever read.
        guard let listing = try? DatasetListing(root: root) else {
            throw VisionError(.notADataset, "\(root) cannot be listed; check its permissions")
        }
        let onDisk = listing.images
        let declared = Set(dataset.images.map(\.path))
        var entries = dataset.images.map { (entry: $0, declared: true) }
        entries += onDisk.filter { !declared.contains($0) }.map { (ImageEntry(path: $0), false) }
        guard !entries.isEmpty else {
            throw VisionError(.notADataset, "\(root) has no images (.png, .jpg, .jpeg) and its annotations declare none")
        }
        let paths = entries.map(\.entry.path)
        phase.done("files listed", ["files": "\(listing.files.count)"])
        let summaries = await analyze(root: root, paths: paths, readable: listing.fileSet, progress: progress)
        phase.done("images analysed", ["images": "\(paths.count)", "already_analysed": "\(paths.count { known[$0] != nil })"])
        var seen: Set<String> = []
        let images = entries.indices.map { position in
            CheckedImage(
                entry: entries[position].entry, summary: summaries[position], isDeclared: entries[position].declared,
                isRepeat: !seen.insert(paths[position]).inserted)
        }
        let context = CheckContext(dataset: dataset, images: images, thresholds: policy.thresholds)
        var flags = dataset.findings.map { finding in Flag(finding, image: nil) }
        flags += IntegrityChecks.run(context)
        flags += QualityChecks.run(context)
        flags += DuplicateChecks.run(context, listed: listed)
        flags += LabelChecks.run(context)
        flags += AttributeChecks.run(context)
        flags += GeometryChecks.run(context)
        phase.done("checks run", ["flags": "\(flags.count)"])
        let report = DatasetReport(
            format: dataset.format, flags: flags, imagePaths: paths, policy: policy,
            statistics: Self.statistics(context), hashes: Self.hashes(images))
        phase.done("report written", ["score": "\(report.score)", "passed": "\(report.passed)"])
        return Outcome(report: report, dataset: dataset, summaries: summaries, paths: paths)
    }

    /// Decodes and measures every image, `concurrency` at a time, each path once; nil for a file that is not a
    /// regular file in the dataset (missing, outside the root, a link).
    private func analyze(
        root: String, paths: [String], readable: Set<String>, progress: (@Sendable (Int, Int) -> Void)?
    ) async -> [ImageSummary?] {
        let analyzer = ImageAnalyzer(decoder: ImageDecoder(pixelBudget: pixelBudget), memory: memory)
        var results = [ImageSummary?](repeating: nil, count: paths.count)
        let firstPosition = Dictionary(paths.indices.map { (paths[$0], $0) }, uniquingKeysWith: { first, _ in first })
        var unique: [Int] = []
        for position in paths.indices where firstPosition[paths[position]] == position {
            if let summary = known[paths[position]], readable.contains(paths[position]) {
                results[position] = summary
            } else {
                unique.append(position)
            }
        }
        await withTaskGroup(of: (Int, ImageSummary?).self) { group in
            var next = 0
            var done = 0
            func submit() {
                let position = unique[next]
                let path = paths[position]
                let isReadable = readable.contains(path)
                group.addTask {
                    guard isReadable else { return (position, nil) }
                    // Decoding is long, blocking work: it runs on a dispatch queue of its own, not on the
                    // concurrency pool's few threads, which other tasks of the process need meanwhile.
                    let summary = await withCheckedContinuation { continuation in
                        Self.decodingQueue.async {
                            continuation.resume(returning: analyzer.analyze(file: root + "/" + path, path: path))
                        }
                    }
                    return (position, summary)
                }
                next += 1
            }
            while next < min(concurrency, unique.count) { submit() }
            for await (position, summary) in group {
                results[position] = summary
                done += 1
                progress?(done, unique.count)
                if next < unique.count { submit() }
            }
        }
        for position in paths.indices { results[position] = results[firstPosition[paths[position]]!] }
        return results
    }

    /// Where images are read, decoded, hashed and measured.
    static let decodingQueue = DispatchQueue(label: "lightbox.vision.decoding", qos: .utility, attributes: .concurrent)

    private static func statistics(_ context: CheckContext) -> [String: ReportValue] {
        var perClass: [String: ReportValue] = [:]
        var counts: [Int: Int] = [:]
        for annotation in context.dataset.annotations {
            if let category = annotation.category { counts[category, default: 0] += 1 }
        }
        for category in context.dataset.categories { perClass[category.name] = .int(counts[category.id] ?? 0) }
        var splits: [String: Int] = [:]
        for image in context.images { splits[image.entry.split ?? "none", default: 0] += 1 }
        let decoded = context.images.count { $0.summary?.isDecoded == true }
        return [
            "images": .int(context.images.count),
            "decoded": .int(decoded),
            "annotations": .int(context.dataset.annotations.count),
            "classes": .int(context.dataset.categories.count),
            "per_class": .object(perClass),
            "splits": .object(splits.mapValues { .int($0) }),
            "annotation_files": .array(context.dataset.annotationFiles.map { .string($0) }),
        ]
    }

    /// Each decoded image's PDQ hash and quality, and its pixels' fingerprint, by path: what the marketplace's
    /// index of listed images is built from once the dataset is minted; and the SHA-256 of the bytes that were
    /// checked, so the report names exactly the files it speaks for (and a byte-identical copy is known).
    private static func hashes(_ images: [CheckedImage]) -> ReportValue {
        var entries: [String: ReportValue] = [:]
        for image in images {
            guard let summary = image.summary, summary.failure == nil, let pdq = summary.pdq else { continue }
            var entry: [String: ReportValue] = [
                "pdq": .string(pdq.hash.description), "quality": .int(pdq.quality), "sha256": .string(summary.sha256.hexString),
            ]
            if let pixels = summary.pixelFingerprint { entry["pixels"] = .string(pixels) }
            entries[image.entry.path] = .object(entry)
        }
        return .object(entries)
    }
}
