/// A defect the dataset generator can plant, with the check that must find it.
public enum PlantedDefect: String, Sendable, Hashable, CaseIterable {
    case truncatedImage, corruptImage, dark, bright, lowInformation, blurry, greyscale
    case exactDuplicate, nearDuplicate, labelConflict, splitLeakage
    case sizeMismatch, missingImage, unlistedImage, oddSize, oddAspectRatio
    case degenerateBox, outOfBounds, undefinedCategory, unusedCategory, unannotatedImage, fewSamples
    case duplicateBox, conflictingLabels, sizeOutlier, aspectOutlier
    case areaMismatch, boxSegmentationMismatch, rleSizeMismatch, invalidPolygon
    case yoloPixelCoordinates, vocZeroBased, malformedAnnotation, crowdedImage, boxOnNothing

    /// The check that finds it in a dataset of this format; nil when the format cannot carry it.
    public func check(in format: AnnotationFormat) -> CheckID? {
        // Class folders carry labels in their layout alone: no boxes, no files to damage, nothing declared.
        if format == .imagenet, !Self.classFolderDefects.contains(self) { return nil }
        return switch self {
        case .truncatedImage: .truncatedImage
        case .corruptImage: .undecodableImage
        case .dark: .dark
        case .bright: .bright
        case .lowInformation: .lowInformation
        case .blurry: .blurry
        case .greyscale: .greyscaleInColourSet
        case .exactDuplicate: .exactDuplicate
        case .nearDuplicate: .nearDuplicate
        case .labelConflict: .labelConflict
        case .splitLeakage: .splitLeakage
        case .sizeMismatch: format == .yolo ? nil : .sizeMismatch
        case .missingImage: format == .yolo ? .orphanAnnotation : .missingImage
        case .unlistedImage: format == .yolo ? nil : .unlistedImage
        case .oddSize: .oddSize
        case .oddAspectRatio: .oddAspectRatio
        case .degenerateBox: .degenerateBox
        case .outOfBounds: .outOfBounds
        case .undefinedCategory: format == .voc ? nil : .undefinedCategory
        case .unusedCategory: format == .voc ? nil : .unusedCategory
        case .unannotatedImage: .unannotatedImage
        case .fewSamples: .fewSamples
        case .duplicateBox: .duplicateBox
        case .conflictingLabels: .conflictingBoxLabels
        case .sizeOutlier: .sizeOutlier
        case .aspectOutlier: .aspectOutlier
        case .areaMismatch: format == .coco ? .areaMismatch : nil
        case .boxSegmentationMismatch: format == .coco ? .boxSegmentationMismatch : nil
        case .rleSizeMismatch: format == .coco ? .rleSizeMismatch : nil
        case .invalidPolygon: format == .coco ? .invalidPolygon : nil
        case .yoloPixelCoordinates: format == .yolo ? .yoloPixelCoordinates : nil
        case .vocZeroBased: format == .voc ? .vocZeroBased : nil
        case .malformedAnnotation: .malformedAnnotation
        case .crowdedImage: .boxCountOutlier
        case .boxOnNothing: .boxOnNothing
        }
    }

    /// The defects class folders can carry.
    static let classFolderDefects: Set<PlantedDefect> = [
        .truncatedImage, .corruptImage, .dark, .bright, .lowInformation, .blurry, .greyscale, .exactDuplicate,
        .nearDuplicate, .labelConflict, .splitLeakage, .oddSize, .oddAspectRatio, .unannotatedImage, .fewSamples,
    ]

    /// The defects a format can carry.
    public static func supported(by format: AnnotationFormat) -> [PlantedDefect] {
        allCases.filter { $0.check(in: format) != nil }
    }
}

/// Where a planted defect is, so a test can look for its finding.
public struct PlantedFinding: Sendable, Equatable {
    public var defect: PlantedDefect
    public var check: CheckID
    /// The image it concerns (a finding names it as its item or in `details.image`).
    public var image: String
    /// For findings about an annotation file rather than an image: that file.
    public var file: String?
}
