/// Reads a dataset directory's annotation files into an ``AnnotatedDataset``.
///
/// Problems in the files (malformed JSON, XML or lines, missing or ill-typed fields, duplicate ids, annotations of
/// undeclared images, label files without images) become ``Finding``s at `file:line`; reading throws only when
/// there is nothing to read: the root is not a directory (`notADataset`), the format cannot be told or has no
/// annotation file (`unknownFormat`), or no annotation file can be opened (`io`).
public enum AnnotationReader {
    /// Reads the annotations under `root` in `format`, or in the format ``AnnotationFormatDetector`` finds.
    public static func read(root: String, format: AnnotationFormat?) throws(VisionError) -> AnnotatedDataset {
        let listing = try DatasetListing(root: root)
        let chosen: AnnotationFormat
        if let format {
            chosen = format
        } else {
            chosen = try AnnotationFormatDetector.detect(listing)
        }
        switch chosen {
        case .coco: return try COCOReader(listing: listing).read()
        case .yolo: return try YOLOReader(listing: listing).read()
        case .voc: return try VOCReader(listing: listing).read()
        case .cvat: return try CVATReader(listing: listing).read()
        case .imagenet: return try ClassFoldersReader(listing: listing).read()
        }
    }

    /// The image files under `root` (extensions .png, .jpg, .jpeg in any case), relative and "/"-separated,
    /// sorted by their UTF-8 bytes; hidden files and directories and symbolic links are left out. Empty when
    /// `root` is not a directory.
    public static func imageFiles(root: String) -> [String] {
        (try? DatasetListing(root: root))?.images ?? []
    }
}

/// Tells which annotation format a dataset directory is in.
public enum AnnotationFormatDetector {
    /// The one format whose files are under `root`: COCO for a `.json` with top-level `images` and `annotations`
    /// (or `categories`), Pascal VOC for an `.xml` whose root element is `<annotation>`, CVAT for one whose root is
    /// `<annotations>`, YOLO for label `.txt`
    /// files (under `labels/` or beside their images) or a `data.yaml`; failing all of these, YOLO for a
    /// `classes.txt`, else ImageNet-style class folders when the images are laid out so.
    /// Throws `unknownFormat` when there is none or more than one.
    public static func detect(root: String) throws(VisionError) -> AnnotationFormat {
        try detect(DatasetListing(root: root))
    }

    static func detect(_ listing: DatasetListing) throws(VisionError) -> AnnotationFormat {
        let found = evidence(listing)
        if found.count == 1, let only = found.first { return only.format }
        if found.isEmpty {
            if YOLOLayout.classesFile(in: listing) != nil { return .yolo }
            if ClassFoldersReader.looksLikeClassFolders(listing) { return .imagenet }
            throw VisionError(
                .unknownFormat,
                "no annotations found under \(listing.root): no COCO .json with \"images\" and \"annotations\", no "
                    + "Pascal VOC .xml with <annotation>, no CVAT .xml with <annotations>, no YOLO label .txt files or data.yaml, no class folders; "
                    + "name the format with --format coco|yolo|voc|cvat|imagenet")
        }
        let list = found.map { "\($0.format.rawValue) (\($0.file))" }.joined(separator: ", ")
        throw VisionError(
            .unknownFormat,
            "annotations in more than one format under \(listing.root): \(list); "
                + "name the format with --format coco|yolo|voc|cvat|imagenet")
    }

    /// For each format with files under the root, the first such file.
    static func evidence(_ listing: DatasetListing) -> [(format: AnnotationFormat, file: String)] {
        var found: [(AnnotationFormat, String)] = []
        let coco = listing.files(withExtensions: ["json"]).first { file in
            let keys = JSONKeyScanner.topLevelKeys(ofFileAt: listing.absolute(file), wanted: ["images", "annotations"])
            return keys.contains("images") && (keys.contains("annotations") || keys.contains("categories"))
        }
        if let coco { found.append((.coco, coco)) }
        let voc = listing.files(withExtensions: ["xml"]).first { VOCReader.isVOCFile(listing.absolute($0)) }
        if let voc { found.append((.voc, voc)) }
        let cvat = listing.files(withExtensions: ["xml"]).first { CVATReader.isCVATFile(listing.absolute($0)) }
        if let cvat { found.append((.cvat, cvat)) }
        let layout = YOLOLayout(listing: listing)
        if let yolo = layout.dataYAML ?? layout.labelFiles.first { found.append((.yolo, yolo)) }
        return found
    }
}
