/// An image as the checks see it: how the annotations declare it and what decoding it gave.
struct CheckedImage: Sendable {
    var entry: ImageEntry
    /// Nil when the file is missing.
    var summary: ImageSummary?
    /// Whether an annotation file declares the image (false for a file found only on disk).
    var isDeclared: Bool
    /// Whether an earlier entry declares the same path: it is checked once, at its first declaration.
    var isRepeat = false

    /// The real size if decoded (or at least its header read), else the declared size.
    var size: (width: Int, height: Int)? {
        if let header = summary?.header { return (header.width, header.height) }
        if let width = entry.declaredWidth, let height = entry.declaredHeight { return (width, height) }
        return nil
    }
}

/// A finding and the image it concerns, if any: the score counts images.
struct Flag: Sendable {
    var finding: Finding
    var image: Int?

    init(_ finding: Finding, image: Int?) {
        self.finding = finding
        self.image = image
    }
}

/// What every check reads: the annotations, the images and the thresholds.
struct CheckContext: Sendable {
    let dataset: AnnotatedDataset
    /// The declared images first, at the same positions as `dataset.images`, then images found only on disk.
    let images: [CheckedImage]
    let thresholds: CheckThresholds
    /// The positions in `dataset.annotations` of each image's annotations.
    let annotationsByImage: [[Int]]
    let categoryNames: [Int: String]

    init(dataset: AnnotatedDataset, images: [CheckedImage], thresholds: CheckThresholds) {
        self.dataset = dataset
        self.images = images
        self.thresholds = thresholds
        var byImage = [[Int]](repeating: [], count: images.count)
        for (position, annotation) in dataset.annotations.enumerated() where byImage.indices.contains(annotation.image) {
            byImage[annotation.image].append(position)
        }
        annotationsByImage = byImage
        categoryNames = Dictionary(dataset.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A category's name for messages: its name, or `#id` when undefined.
    func name(ofCategory id: Int?) -> String {
        guard let id else { return "(none)" }
        return categoryNames[id].map { "\"\($0)\"" } ?? "#\(id)"
    }

    /// The set of category ids an image's annotations carry.
    func labels(ofImage image: Int) -> Set<Int> {
        Set(annotationsByImage[image].compactMap { dataset.annotations[$0].category })
    }
}
