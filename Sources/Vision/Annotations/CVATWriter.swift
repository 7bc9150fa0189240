/// Writes an ``AnnotatedDataset``'s annotations as CVAT for images 1.1: one `annotations.xml` at the root with the
/// categories as the task's labels, each image by its path (`name`), size and split (`subset`), and its boxes
/// (from COCO-style pixel boxes) and polygons. Image files are not written. A box written with fewer than four
/// numbers lacks `ybr`, an annotation of an undefined category names the id as its label.
public enum CVATWriter {
    /// Writes `annotations.xml` under `directory` (the dataset root) and returns its path relative to it.
    @discardableResult
    public static func write(_ dataset: AnnotatedDataset, to directory: String) throws(VisionError) -> [String] {
        let names = Dictionary(dataset.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n"
        xml += "  <meta>\n    <task>\n      <labels>\n"
        for category in dataset.categories {
            xml += "        <label>\n          <name>\(AnnotationText.xmlEscaped(category.name))</name>\n"
            xml += "          <type>any</type>\n          <attributes></attributes>\n        </label>\n"
        }
        xml += "      </labels>\n    </task>\n  </meta>\n"
        var shapes: [[Annotation]] = Array(repeating: [], count: dataset.images.count)
        for annotation in dataset.annotations where dataset.images.indices.contains(annotation.image) {
            shapes[annotation.image].append(annotation)
        }
        for (index, image) in dataset.images.enumerated() {
            xml += "  <image id=\"\(index)\" name=\"\(AnnotationText.xmlEscaped(image.path))\""
            if let width = image.declaredWidth { xml += " width=\"\(width)\"" }
            if let height = image.declaredHeight { xml += " height=\"\(height)\"" }
            if let split = image.split { xml += " subset=\"\(AnnotationText.xmlEscaped(split))\"" }
            xml += ">\n"
            for shape in shapes[index] {
                let label = shape.category.map { names[$0] ?? String($0) } ?? ""
                let labelled = "label=\"\(AnnotationText.xmlEscaped(label))\" source=\"manual\" occluded=\"0\""
                if let box = shape.box {
                    let corners = [box[0], box[1]] + (box.count >= 4 ? [box[0] + box[2], box[1] + box[3]] : Array(box.dropFirst(2)))
                    let attributes = zip(["xtl", "ytl", "xbr", "ybr"], corners).map { "\($0)=\"\(AnnotationText.number($1))\"" }
                    xml += "    <box \(labelled) \(attributes.joined(separator: " ")) z_order=\"0\"></box>\n"
                } else if case .polygons(let polygons)? = shape.segmentation {
                    for polygon in polygons {
                        let points = stride(from: 0, to: polygon.count - 1, by: 2).map {
                            "\(AnnotationText.number(polygon[$0])),\(AnnotationText.number(polygon[$0 + 1]))"
                        }
                        xml += "    <polygon \(labelled) points=\"\(points.joined(separator: ";"))\" z_order=\"0\"></polygon>\n"
                    }
                } else {
                    xml += "    <tag \(labelled)></tag>\n"
                }
            }
            xml += "  </image>\n"
        }
        xml += "</annotations>\n"
        return [try AnnotationText.write(xml, to: "annotations.xml", in: directory)]
    }
}
