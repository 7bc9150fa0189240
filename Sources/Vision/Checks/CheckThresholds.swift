/// Every check's threshold, with its default. A policy file can change any of them by its key.
public struct CheckThresholds: Sendable, Equatable {
    /// `quality.dark`: the 99th percentile of brightness (0…1) below this. CleanVision's 0.32.
    public var dark = 0.32
    /// `quality.bright`: the 5th percentile of brightness above this. CleanVision's 1 − 0.05.
    public var bright = 0.95
    /// `quality.low-information`: grey-histogram entropy below this many bits (of 8). CleanVision's 0.3 × 10.
    public var lowInformationBits = 3.0
    /// `quality.blurry`: Laplacian variance over grey variance below this.
    public var blurrySharpness = 0.02
    /// `quality.odd-size`: √(w·h) outside [Q1 − k·IQR, Q3 + k·IQR] (CleanVision's k = 3) and also this far
    /// (as a fraction) from the median, so that uniform sets do not flag a one-pixel difference.
    public var oddSizeIQRFactor = 3.0
    public var oddSizeMinimumDeviation = 0.5
    /// `quality.odd-aspect-ratio`: min(w/h, h/w) below this (CleanVision's 0.35), or the log aspect ratio a
    /// robust outlier (see ``outlierZ``) by more than a factor of 1.5.
    public var oddAspectRatio = 0.35
    /// `quality.greyscale`: flagged only when more than this share of the decoded images is colour.
    public var colourMajority = 0.5
    /// `duplicate.near`, `duplicate.label-conflict`, `duplicate.split-leakage`: PDQ distance at most this (Meta's
    /// confident-match threshold, of 256 bits).
    public var nearDuplicateDistance = 31
    /// `duplicate.listed`: PDQ distance to an image already listed on the marketplace, at most this, over the
    /// image and its seven rotations and flips.
    public var listedDistance = 31
    /// Hashes of PDQ quality below this are not compared (`duplicate.low-hash-quality`). Meta's 50.
    public var minimumHashQuality = 50
    /// `labels.few-samples`: a used category with fewer annotations than this.
    public var fewSamples = 5
    /// `labels.class-imbalance`: the most common category has at least this many times the least common one's
    /// annotations (Datumaro's 50).
    public var imbalanceRatio = 50.0
    /// `geometry.degenerate-box`: width or height below this many pixels (Datumaro's 1).
    public var minimumBoxSide = 1.0
    /// `geometry.out-of-bounds`: a box edge beyond the image by more than this many pixels (absolute formats) or
    /// this fraction of the side (YOLO's 0.01, as Ultralytics allows).
    public var outOfBoundsPixels = 1.0
    public var outOfBoundsFraction = 0.01
    /// `geometry.bbox-segmentation-mismatch`: a box edge this many pixels from the segmentation's extent.
    public var boxSegmentationPixels = 2.0
    /// `geometry.area-mismatch`: `area` off from the segmentation's area by more than this fraction (and 4 px²).
    public var areaTolerance = 0.1
    /// `geometry.duplicate-box`: two same-class boxes of one image with IoU at least this.
    public var duplicateBoxIoU = 0.9
    /// `geometry.conflicting-labels`: two different-class boxes with IoU at least this (cleanlab's 0.95).
    public var conflictingLabelIoU = 0.95
    /// `geometry.size-outlier`, `geometry.aspect-outlier`, `quality.odd-aspect-ratio`: robust z-score
    /// |x − median| / (1.4826·MAD) above this, on log area and log aspect ratio per class.
    public var outlierZ = 5.0
    /// Per-class outlier checks need at least this many boxes in the class.
    public var outlierMinimumCount = 10
    /// `geometry.yolo-pixel-coordinates`: a YOLO value above this means the file is in pixels.
    public var yoloPixelValue = 1.5

    public init() {}

    /// The keys a policy file uses, with their key paths. (Key paths are not Sendable; these are immutable.)
    nonisolated(unsafe) static let keys: [(String, WritableKeyPath<CheckThresholds, Double>)] = [
        ("quality.dark", \.dark), ("quality.bright", \.bright), ("quality.low-information", \.lowInformationBits),
        ("quality.blurry", \.blurrySharpness), ("quality.odd-size.iqr-factor", \.oddSizeIQRFactor),
        ("quality.odd-size.minimum-deviation", \.oddSizeMinimumDeviation),
        ("quality.odd-aspect-ratio", \.oddAspectRatio), ("quality.greyscale.colour-majority", \.colourMajority),
        ("labels.class-imbalance", \.imbalanceRatio), ("geometry.degenerate-box", \.minimumBoxSide),
        ("geometry.out-of-bounds.pixels", \.outOfBoundsPixels),
        ("geometry.out-of-bounds.fraction", \.outOfBoundsFraction),
        ("geometry.bbox-segmentation-mismatch", \.boxSegmentationPixels),
        ("geometry.area-mismatch", \.areaTolerance), ("geometry.duplicate-box", \.duplicateBoxIoU),
        ("geometry.conflicting-labels", \.conflictingLabelIoU), ("geometry.outlier-z", \.outlierZ),
        ("geometry.yolo-pixel-coordinates", \.yoloPixelValue),
    ]

    /// Integer thresholds with their largest allowed value (PDQ distances are limited by the index's reach).
    nonisolated(unsafe) static let integerKeys: [(String, WritableKeyPath<CheckThresholds, Int>, Int)] = [
        ("duplicate.near", \.nearDuplicateDistance, PDQIndex.maximumDistance),
        ("duplicate.listed", \.listedDistance, PDQIndex.maximumDistance),
        ("duplicate.low-hash-quality", \.minimumHashQuality, 100), ("labels.few-samples", \.fewSamples, 1_000_000),
        ("geometry.outlier-minimum-count", \.outlierMinimumCount, 1_000_000),
    ]
}
