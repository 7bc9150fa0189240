/// A check's stable id (`group.name`), with the severity its findings have unless a policy says otherwise.
///
/// The ids are part of the report format: they are never renamed, only added. `CheckCatalogue` documents each
/// one with its default threshold.
public struct CheckID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public let defaultSeverity: Severity

    init(_ rawValue: String, _ defaultSeverity: Severity) {
        self.rawValue = rawValue
        self.defaultSeverity = defaultSeverity
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    // MARK: Annotation files
    /// An annotation file, or an entry or line in one, that cannot be read.
    public static let malformedAnnotation = CheckID("annotation.malformed", .error)
    /// Two images, annotations or categories share an id.
    public static let duplicateID = CheckID("annotation.duplicate-id", .error)
    /// An annotation names an image the file does not declare.
    public static let unknownImage = CheckID("annotation.unknown-image", .error)
    /// A YOLO label file has no image beside it (a VOC file naming a missing image gives `image.missing-file`).
    public static let orphanAnnotation = CheckID("annotation.orphan-file", .warning)

    // MARK: Integrity
    /// An image cannot be decoded: corrupt, not an image, or a kind the decoders do not support.
    public static let undecodableImage = CheckID("image.undecodable", .error)
    /// An image file ends before its pixel data does.
    public static let truncatedImage = CheckID("image.truncated", .error)
    /// An image has more pixels than the pixel budget allows.
    public static let overPixelBudget = CheckID("image.over-pixel-budget", .error)
    /// The annotation's width or height is not the image's.
    public static let sizeMismatch = CheckID("image.size-mismatch", .error)
    /// An annotated image is not in the dataset.
    public static let missingImage = CheckID("image.missing-file", .error)
    /// An image in the dataset that no annotation file lists.
    public static let unlistedImage = CheckID("image.unlisted", .warning)
    /// Byte-identical image files.
    public static let exactDuplicate = CheckID("duplicate.exact-file", .warning)
    /// Different files that decode to identical pixels.
    public static let identicalPixels = CheckID("duplicate.identical-pixels", .warning)

    // MARK: Image quality
    public static let dark = CheckID("quality.dark", .warning)
    public static let bright = CheckID("quality.bright", .warning)
    public static let lowInformation = CheckID("quality.low-information", .warning)
    public static let blurry = CheckID("quality.blurry", .warning)
    public static let oddSize = CheckID("quality.odd-size", .info)
    public static let oddAspectRatio = CheckID("quality.odd-aspect-ratio", .info)
    public static let greyscaleInColourSet = CheckID("quality.greyscale", .info)

    // MARK: Near-duplicates (PDQ)
    /// Two images in the dataset within the PDQ match distance.
    public static let nearDuplicate = CheckID("duplicate.near", .warning)
    /// Near-duplicate images that carry different labels.
    public static let labelConflict = CheckID("duplicate.label-conflict", .warning)
    /// Near-duplicate images in different splits (train / val / test).
    public static let splitLeakage = CheckID("duplicate.split-leakage", .error)
    /// An image near-duplicate to one in a listing already on the marketplace.
    public static let listedElsewhere = CheckID("duplicate.listed", .error)
    /// An image whose PDQ quality is too low for its hash to be compared.
    public static let lowHashQuality = CheckID("duplicate.low-hash-quality", .info)

    // MARK: Labels
    public static let noCategories = CheckID("labels.no-categories", .error)
    public static let undefinedCategory = CheckID("labels.undefined-category", .error)
    public static let unusedCategory = CheckID("labels.unused-category", .warning)
    public static let unannotatedImage = CheckID("labels.image-without-annotations", .warning)
    public static let multipleLabels = CheckID("labels.multiple-labels", .error)
    public static let classImbalance = CheckID("labels.class-imbalance", .info)
    public static let fewSamples = CheckID("labels.few-samples", .info)
    /// Every annotation carries one and the same label: nothing for a classifier to tell apart (a warning there),
    /// a single-class detector's set otherwise.
    public static let singleLabel = CheckID("labels.single-label", .info)

    // MARK: Attributes
    /// An annotation's attribute that its label does not declare (CVAT).
    public static let undefinedAttribute = CheckID("attributes.undefined", .warning)
    /// An attribute the label declares, or most of its annotations carry, that an annotation lacks.
    public static let missingAttribute = CheckID("attributes.missing", .warning)
    /// A value the attribute's declaration does not allow (CVAT choices, checkboxes, number ranges; VOC's flags and
    /// poses).
    public static let invalidAttributeValue = CheckID("attributes.invalid-value", .warning)
    /// An attribute a label declares that none of its annotations carries.
    public static let unusedAttribute = CheckID("attributes.unused", .warning)
    /// An attribute with one value on every annotation of its label.
    public static let singleAttributeValue = CheckID("attributes.single-value", .info)
    /// An attribute value on few annotations.
    public static let fewAttributeSamples = CheckID("attributes.few-samples", .info)
    /// An attribute's most common value far more common than its least common one.
    public static let attributeImbalance = CheckID("attributes.imbalance", .info)

    // MARK: Geometry
    public static let degenerateBox = CheckID("geometry.degenerate-box", .error)
    public static let invalidValue = CheckID("geometry.invalid-value", .error)
    public static let outOfBounds = CheckID("geometry.out-of-bounds", .error)
    public static let boxSegmentationMismatch = CheckID("geometry.bbox-segmentation-mismatch", .warning)
    public static let areaMismatch = CheckID("geometry.area-mismatch", .warning)
    public static let rleSizeMismatch = CheckID("geometry.rle-size-mismatch", .error)
    public static let invalidPolygon = CheckID("geometry.invalid-polygon", .error)
    /// A labelled COCO keypoint lies outside its image or well outside its box.
    public static let keypointOutside = CheckID("geometry.keypoint-outside", .warning)
    /// An image with far more (or far fewer) objects than the rest of its split: a crowd annotated box by box,
    /// or one left half done.
    public static let boxCountOutlier = CheckID("geometry.box-count-outlier", .info)
    /// A box drawn on nothing: the pixels inside it are flat (empty sky, a padded border, a blank area).
    public static let boxOnNothing = CheckID("geometry.box-on-nothing", .warning)
    public static let duplicateBox = CheckID("geometry.duplicate-box", .warning)
    public static let conflictingBoxLabels = CheckID("geometry.conflicting-labels", .warning)
    public static let sizeOutlier = CheckID("geometry.size-outlier", .info)
    public static let aspectOutlier = CheckID("geometry.aspect-outlier", .info)
    public static let vocZeroBased = CheckID("geometry.voc-zero-based", .warning)
    public static let yoloPixelCoordinates = CheckID("geometry.yolo-pixel-coordinates", .error)
}
