/// Writes an ``AnnotatedDataset``'s annotations as COCO JSON: `annotations/instances_<split>.json` for each split
/// and `annotations/instances.json` for images without one. Image files are not written.
///
/// Everything is written as given, defects included: boxes in whatever convention they are in, sizes, areas and
/// RLE masks (compressed or not, as ``RunLengthMask/wasCompressed`` says) unchecked. `file_name` is the image's
/// path relative to the dataset root. Images and annotations without a COCO id get the next free one.
public enum COCOWriter {
    /// Writes the files under `directory` (the dataset root) and returns their paths relative to it, sorted.
    @discardableResult
    public static func write(_ dataset: AnnotatedDataset, to directory: String) throws(VisionError) -> [String] {
        let imageIDs = assignIDs(dataset.images.map(\.cocoID))
        let annotationIDs = assignIDs(dataset.annotations.map(\.cocoID))
        var groups: [String?: [Int]] = [:]
        for index in dataset.images.indices { groups[dataset.images[index].split, default: []].append(index) }
        var annotationsByImage: [Int: [Int]] = [:]
        for (index, annotation) in dataset.annotations.enumerated()
        where dataset.images.indices.contains(annotation.image) {
            annotationsByImage[annotation.image, default: []].append(index)
        }
        if groups.isEmpty { groups[nil] = [] }
        let categories = dataset.categories.map { category in
            "{\"id\": \(category.id), \"name\": \(AnnotationText.jsonString(category.name))}"
        }
        var written: [String] = []
        for (split, images) in groups {
            var imageLines: [String] = []
            var annotationLines: [String] = []
            for image in images {
                imageLines.append(imageJSON(dataset.images[image], id: imageIDs[image]))
                for index in annotationsByImage[image] ?? [] {
                    annotationLines.append(
                        annotationJSON(dataset.annotations[index], id: annotationIDs[index], imageID: imageIDs[image]))
                }
            }
            let text =
                "{\n" + section("images", imageLines) + ",\n" + section("annotations", annotationLines) + ",\n"
                + section("categories", categories) + "\n}\n"
            let name =
                split.map { "annotations/instances_\(AnnotationText.component($0)).json" }
                ?? "annotations/instances.json"
            written.append(try AnnotationText.write(text, to: name, in: directory))
        }
        return written.sorted(by: DatasetPaths.utf8Order)
    }

    /// The given ids, and for the missing ones the next ids above the largest given.
    static func assignIDs(_ given: [Int?]) -> [Int] {
        var next = (given.compactMap { $0 }.max() ?? 0) + 1
        return given.map { id in
            if let id { return id }
            defer { next += 1 }
            return next
        }
    }

    private static func section(_ name: String, _ lines: [String]) -> String {
        "\"\(name)\": [" + (lines.isEmpty ? "]" : "\n" + lines.joined(separator: ",\n") + "\n]")
    }

    private static func imageJSON(_ image: ImageEntry, id: Int) -> String {
        var fields = ["\"id\": \(id)", "\"file_name\": \(AnnotationText.jsonString(image.path))"]
        if let width = image.declaredWidth { fields.append("\"width\": \(width)") }
        if let height = image.declaredHeight { fields.append("\"height\": \(height)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static func annotationJSON(_ annotation: Annotation, id: Int, imageID: Int) -> String {
        var fields = ["\"id\": \(id)", "\"image_id\": \(imageID)"]
        if let category = annotation.category { fields.append("\"category_id\": \(category)") }
        if let box = annotation.box { fields.append("\"bbox\": " + numbers(box)) }
        switch annotation.segmentation {
        case .polygons(let polygons):
            fields.append("\"segmentation\": [" + polygons.map(numbers).joined(separator: ", ") + "]")
        case .mask(let mask):
            let counts =
                mask.wasCompressed
                ? AnnotationText.jsonString(mask.compressedCounts)
                : "[" + mask.counts.map(String.init).joined(separator: ", ") + "]"
            fields.append("\"segmentation\": {\"size\": [\(mask.height), \(mask.width)], \"counts\": \(counts)}")
        case nil: break
        }
        if let area = annotation.area { fields.append("\"area\": " + AnnotationText.number(area)) }
        fields.append("\"iscrowd\": \(annotation.isCrowd ? 1 : 0)")
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static func numbers(_ values: [Double]) -> String {
        "[" + values.map(AnnotationText.number).joined(separator: ", ") + "]"
    }
}
