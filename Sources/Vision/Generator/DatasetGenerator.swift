import Foundation

/// Writes synthetic COCO, YOLO and Pascal VOC datasets with exact ground truth and any chosen defects planted, for
/// tests and demos. The same settings and seed always give the same files.
public struct DatasetGenerator: Sendable {
    public var format: AnnotationFormat
    public var imageCount = 48
    public var width = 320
    public var height = 240
    /// The share of images written as JPEG (quality 92); the rest are PNG.
    public var jpegShare = 0.5
    /// Splits the clean images cycle through (three train for each val); empty for none.
    public var splits = ["train", "val"]
    public var classes = ["person", "car", "dog"]
    public var seed: UInt64 = 1
    /// Each defect is planted once, on its own image.
    public var defects: [PlantedDefect] = []
    /// Where the files go: the format's usual layout, or FiftyOne's export (VOC: images in `data/`, one XML per
    /// image in `labels/` naming an absolute `<path>`, no class list or split lists).
    public var layout: DatasetLayout = .standard

    public init(format: AnnotationFormat, imageCount: Int = 48, seed: UInt64 = 1, defects: [PlantedDefect] = []) {
        self.format = format
        self.imageCount = imageCount
        self.seed = seed
        self.defects = defects
    }

    /// The fewest images a dataset with a crowded image planted may have.
    public static let crowdedImageMinimum = 28

    /// What was written.
    public struct Result: Sendable {
        public var root: String
        /// Every image path the annotations declare or the folder holds.
        public var images: [String]
        /// Where each planted defect is.
        public var planted: [PlantedFinding]
    }

    /// Writes the dataset under `root` (created if missing).
    /// - Throws: ``VisionError`` `.invalidArgument` for a defect the format cannot carry, a size out of range, or
    ///   too few images for the defects; `.io` when a file cannot be written.
    public func generate(into root: String) throws(VisionError) -> Result {
        guard layout == .standard || format == .voc else {
            throw VisionError(.invalidArgument, "the FiftyOne layout is written for VOC datasets only")
        }
        for defect in defects where defect.check(in: format) == nil {
            throw VisionError(.invalidArgument, "\(format.rawValue) datasets cannot carry the defect \(defect.rawValue)")
        }
        guard width >= 16, height >= 16, width <= 8192, height <= 8192 else {
            throw VisionError(.invalidArgument, "images must be from 16 to 8192 pixels on a side")
        }
        guard imageCount >= defects.count + 12 else {
            throw VisionError(.invalidArgument, "\(defects.count) defects need at least \(defects.count + 12) images")
        }
        // Three images in four are in the first split, and the object-count check compares an image with at least
        // 20 others of its split.
        if defects.contains(.crowdedImage), imageCount < Self.crowdedImageMinimum {
            throw VisionError(
                .invalidArgument,
                "crowdedImage needs at least \(Self.crowdedImageMinimum) images, so that its split has the 20 others "
                    + "the object-count check compares it with; give --images \(Self.crowdedImageMinimum) or more")
        }
        var plan = GenerationPlan(generator: self)
        for (offset, defect) in defects.enumerated() {
            plan.plant(defect, on: offset + 2)
        }
        try plan.write(to: root)
        return Result(root: root, images: plan.images.map(\.path), planted: plan.planted)
    }
}

/// How a generated dataset's files are laid out.
public enum DatasetLayout: String, Sendable, CaseIterable {
    /// The format's usual layout (VOCdevkit's `JPEGImages/`, `Annotations/`, `ImageSets/Main/`).
    case standard
    /// FiftyOne's VOC export: `data/` and `labels/`.
    case fiftyOne = "fiftyone"
}
