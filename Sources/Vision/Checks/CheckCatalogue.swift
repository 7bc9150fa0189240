/// Every check with what it looks for and its default threshold: the documentation `lightbox dataset checks`
/// prints and the README repeats.
public enum CheckCatalogue {
    public struct Entry: Sendable {
        public var id: CheckID
        public var summary: String
        public var threshold: String
    }

    public static let all: [Entry] = [
        .init(id: .malformedAnnotation, summary: "an annotation file, entry or line cannot be read", threshold: "—"),
        .init(id: .duplicateID, summary: "two images, annotations or categories share an id", threshold: "—"),
        .init(id: .unknownImage, summary: "an annotation names an image that is not declared", threshold: "—"),
        .init(id: .orphanAnnotation, summary: "a label file with no image beside it", threshold: "—"),
        .init(id: .undecodableImage, summary: "not a PNG/JPEG, corrupt, or unsupported (CMYK JPEG)", threshold: "—"),
        .init(id: .truncatedImage, summary: "the file ends before its image data", threshold: "—"),
        .init(id: .overPixelBudget, summary: "more pixels than the budget; checked from the header", threshold: "100 megapixels (--pixel-budget)"),
        .init(id: .sizeMismatch, summary: "declared width/height differ from the image's", threshold: "exact"),
        .init(id: .missingImage, summary: "an annotated image is not in the dataset", threshold: "—"),
        .init(id: .unlistedImage, summary: "an image no annotation file lists", threshold: "—"),
        .init(id: .exactDuplicate, summary: "byte-identical image files", threshold: "identical bytes"),
        .init(id: .identicalPixels, summary: "different files, identical decoded pixels", threshold: "identical pixels"),
        .init(id: .dark, summary: "too dark", threshold: "99th percentile of brightness < 0.32"),
        .init(id: .bright, summary: "too bright", threshold: "5th percentile of brightness > 0.95"),
        .init(id: .lowInformation, summary: "near-blank or flat", threshold: "grey entropy < 3 bits"),
        .init(id: .blurry, summary: "little contrast in fine detail", threshold: "var(Laplacian)/var(grey) < 0.02"),
        .init(id: .oddSize, summary: "size far from the set's", threshold: "√(w·h) outside Q1−3·IQR…Q3+3·IQR and ≥ 50% from the median"),
        .init(id: .oddAspectRatio, summary: "unusual aspect ratio", threshold: "min(w/h, h/w) < 0.35, or robust z of log(w/h) > 5"),
        .init(id: .greyscaleInColourSet, summary: "greyscale image in a mostly colour set", threshold: "> 50% of images colour"),
        .init(id: .nearDuplicate, summary: "near-duplicate images in the dataset", threshold: "PDQ distance ≤ 31"),
        .init(id: .labelConflict, summary: "near-duplicates with different labels", threshold: "PDQ distance ≤ 31"),
        .init(id: .splitLeakage, summary: "near-duplicates across train/val/test", threshold: "PDQ distance ≤ 31"),
        .init(id: .listedElsewhere, summary: "near-duplicate (or rotation/flip) of an image already listed", threshold: "PDQ distance ≤ 31"),
        .init(id: .lowHashQuality, summary: "too flat for PDQ to compare", threshold: "PDQ quality < 50"),
        .init(id: .noCategories, summary: "no categories defined", threshold: "—"),
        .init(id: .undefinedCategory, summary: "an annotation's category is not defined", threshold: "—"),
        .init(id: .unusedCategory, summary: "a category never used", threshold: "—"),
        .init(id: .unannotatedImage, summary: "an image without annotations", threshold: "—"),
        .init(id: .multipleLabels, summary: "a classification image with more than one label", threshold: "> 1 label"),
        .init(id: .classImbalance, summary: "most/least common class", threshold: "ratio ≥ 50"),
        .init(id: .fewSamples, summary: "a class with few annotations", threshold: "< 5 annotations"),
        .init(id: .singleLabel, summary: "one label on every annotation (a warning for classification)", threshold: "1 class used"),
        .init(id: .undefinedAttribute, summary: "an attribute the annotation's label does not declare (CVAT)", threshold: "—"),
        .init(id: .missingAttribute, summary: "an annotation without an attribute its label declares or most of its class carry", threshold: "declared (CVAT), or on > half of the class"),
        .init(id: .invalidAttributeValue, summary: "an attribute value the declaration does not allow", threshold: "CVAT choices, checkbox, number range; VOC flags 0/1 and poses"),
        .init(id: .unusedAttribute, summary: "an attribute declared for a label and never written", threshold: "—"),
        .init(id: .singleAttributeValue, summary: "an attribute with one value on every annotation of its class", threshold: "≥ 10 annotations (geometry.outlier-minimum-count); set choices only"),
        .init(id: .fewAttributeSamples, summary: "an attribute value on few annotations", threshold: "< 5 annotations (labels.few-samples)"),
        .init(id: .attributeImbalance, summary: "an attribute's most/least common value", threshold: "ratio ≥ 50 (labels.class-imbalance)"),
        .init(id: .degenerateBox, summary: "a box too small to hold an object", threshold: "width or height < 1 px"),
        .init(id: .invalidValue, summary: "NaN or infinite coordinates", threshold: "—"),
        .init(id: .outOfBounds, summary: "a box reaching outside the image", threshold: "> 1 px (YOLO: > 1% of the side)"),
        .init(id: .boxSegmentationMismatch, summary: "COCO bbox not the segmentation's extent", threshold: "> 2 px on an edge"),
        .init(id: .areaMismatch, summary: "COCO area not the segmentation's area", threshold: "> 10% and > 4 px²"),
        .init(id: .rleSizeMismatch, summary: "RLE size is not the image's", threshold: "exact"),
        .init(id: .invalidPolygon, summary: "a polygon with < 3 points or no area", threshold: "—"),
        .init(id: .boxOnNothing, summary: "a box whose pixels are flat: drawn on empty sky, a padded border or nothing", threshold: "grey std dev ≤ 1 in every 1/16-of-the-image cell inside it (≥ 2 cells), cell means within 2 levels"),
        .init(id: .boxCountOutlier, summary: "an image whose object count is far from the rest of its split", threshold: "robust z of log(1 + count) > 5 (geometry.outlier-z) and ≥ 10 objects from the median, splits of ≥ 20 annotated images"),
        .init(id: .keypointOutside, summary: "a labelled keypoint outside its image or its box", threshold: "past the image's edge, or 10% of the box's side past the box"),
        .init(id: .duplicateBox, summary: "two same-class boxes on one object", threshold: "IoU ≥ 0.9"),
        .init(id: .conflictingBoxLabels, summary: "two different-class boxes on one object (a swapped label)", threshold: "IoU ≥ 0.95"),
        .init(id: .sizeOutlier, summary: "a box's area far from its class's", threshold: "robust z of log area > 5 (classes of ≥ 10 boxes)"),
        .init(id: .aspectOutlier, summary: "a box's shape far from its class's", threshold: "robust z of log(w/h) > 5 (classes of ≥ 10 boxes)"),
        .init(id: .vocZeroBased, summary: "a VOC file written 0-based (boxes shifted by one)", threshold: "a coordinate of 0"),
        .init(id: .yoloPixelCoordinates, summary: "a YOLO file written in pixels", threshold: "a value > 1.5"),
    ]

    /// The entry for an id.
    public static func entry(_ id: String) -> Entry? { all.first { $0.id.rawValue == id } }
}
