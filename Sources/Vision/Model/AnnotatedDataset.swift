/// An annotation format Lightbox reads.
public enum AnnotationFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// COCO JSON: boxes, polygons, RLE (plain and compressed), crowd.
    case coco
    /// YOLO (Ultralytics) txt files, one per image, with classes from data.yaml or classes.txt.
    case yolo
    /// Pascal VOC XML, one file per image.
    case voc
    /// CVAT for images 1.1 XML: one `annotations.xml` with every image's boxes, polygons and tags.
    case cvat
    /// ImageNet-style classification: one folder per class, no annotation file.
    case imagenet
}

/// A category (class) as the annotation files define it.
public struct Category: Sendable, Hashable {
    /// The id annotations use: COCO's `id` (not necessarily contiguous), YOLO's 0-based index; VOC has names only,
    /// so its ids are assigned in order of first appearance.
    public var id: Int
    public var name: String

    /// COCO keypoints: the names of the category's keypoints, in order (empty for other categories).
    public var keypoints: [String]
    /// The attributes the format declares for the category (CVAT); nil when it declares none (COCO, VOC, YOLO),
    /// and the attributes are known only from the annotations that carry them.
    public var attributes: [AttributeDefinition]?

    public init(id: Int, name: String, keypoints: [String] = [], attributes: [AttributeDefinition]? = nil) {
        self.id = id
        self.name = name
        self.keypoints = keypoints
        self.attributes = attributes
    }
}

/// An image the annotation files declare.
public struct ImageEntry: Sendable, Equatable {
    /// The path relative to the dataset root, "/"-separated.
    public var path: String
    /// `train`, `val` or `test` when the layout or file says so.
    public var split: String?
    /// The width and height the annotation file gives (COCO `width`/`height`, VOC `size`); nil for YOLO.
    public var declaredWidth: Int?
    public var declaredHeight: Int?
    /// COCO's image id.
    public var cocoID: Int?
    /// Where the image is declared.
    public var location: SourceLocation?

    public init(
        path: String, split: String? = nil, declaredWidth: Int? = nil, declaredHeight: Int? = nil,
        cocoID: Int? = nil, location: SourceLocation? = nil
    ) {
        self.path = path
        self.split = split
        self.declaredWidth = declaredWidth
        self.declaredHeight = declaredHeight
        self.cocoID = cocoID
        self.location = location
    }
}

/// How an annotation's `box` numbers are to be read.
public enum BoxConvention: String, Sendable, Hashable {
    /// COCO: `[x, y, width, height]` in pixels from the top-left corner, 0-based.
    case cocoPixels
    /// YOLO: `[centre x, centre y, width, height]` as fractions of the image's width and height.
    case yoloNormalised
    /// Pascal VOC: `[xmin, ymin, xmax, ymax]`, 1-based and inclusive.
    case vocOneBased
}

/// Run-length encoded mask, COCO's way: column-major runs alternating 0 and 1, starting with 0s.
public struct RunLengthMask: Sendable, Equatable {
    /// The mask's `size` as written: height then width.
    public var height: Int
    public var width: Int
    public var counts: [Int]
    /// Whether `counts` was written as COCO's compressed string.
    public var wasCompressed: Bool

    public init(height: Int, width: Int, counts: [Int], wasCompressed: Bool) {
        self.height = height
        self.width = width
        self.counts = counts
        self.wasCompressed = wasCompressed
    }
}

/// A COCO segmentation.
public enum Segmentation: Sendable, Equatable {
    /// One or more polygons, each `[x1, y1, x2, y2, …]` in pixels.
    case polygons([[Double]])
    case mask(RunLengthMask)
}

/// One annotation: an object's box, segmentation or an image-level label.
public struct Annotation: Sendable, Equatable {
    /// The index of its image in ``AnnotatedDataset/images``.
    public var image: Int
    /// The category id as written; nil when the entry gives none.
    public var category: Int?
    /// The box's four numbers exactly as written, read by ``convention``; nil for an image-level label or a mask
    /// without a box.
    public var box: [Double]?
    public var convention: BoxConvention
    public var segmentation: Segmentation?
    /// COCO's `area`, as written.
    public var area: Double?
    public var isCrowd: Bool
    /// COCO's annotation id.
    public var cocoID: Int?
    /// COCO keypoints as written: x, y and visibility (0 not labelled, 1 labelled but hidden, 2 visible) each.
    public var keypoints: [Double]?
    /// The annotation's attributes by name, values as text (see ``AttributeValue``): COCO's `attributes`, VOC's
    /// flags, pose and `<attributes>`, CVAT's `<attribute>`s.
    public var attributes: [String: String] = [:]
    /// Where the annotation is written.
    public var location: SourceLocation

    public init(
        image: Int, category: Int?, box: [Double]?, convention: BoxConvention, segmentation: Segmentation? = nil,
        area: Double? = nil, isCrowd: Bool = false, cocoID: Int? = nil, location: SourceLocation
    ) {
        self.image = image
        self.category = category
        self.box = box
        self.convention = convention
        self.segmentation = segmentation
        self.area = area
        self.isCrowd = isCrowd
        self.cocoID = cocoID
        self.location = location
    }
}

/// A dataset's annotations as read from its files, with what could not be read.
public struct AnnotatedDataset: Sendable {
    public var format: AnnotationFormat
    public var categories: [Category]
    public var images: [ImageEntry]
    public var annotations: [Annotation]
    /// The annotation files read, relative to the dataset root.
    public var annotationFiles: [String]
    /// Findings from reading: malformed files, entries and lines, duplicate ids, unknown images.
    public var findings: [Finding]
    /// Attributes the format defines for every object whatever its category (VOC's flags and pose).
    public var conventionalAttributes: [AttributeDefinition] = []

    public init(
        format: AnnotationFormat, categories: [Category] = [], images: [ImageEntry] = [],
        annotations: [Annotation] = [], annotationFiles: [String] = [], findings: [Finding] = []
    ) {
        self.format = format
        self.categories = categories
        self.images = images
        self.annotations = annotations
        self.annotationFiles = annotationFiles
        self.findings = findings
    }
}
