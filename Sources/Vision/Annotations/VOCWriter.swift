/// Writes an ``AnnotatedDataset``'s annotations as Pascal VOC: `Annotations/<stem>.xml` per image,
/// `ImageSets/Main/<split>.txt` listing each split's image stems, and `labels.txt` with the class names in id
/// order (so reading assigns the same ids when they are 0, 1, 2, …). Image files are not written; `<filename>` is
/// the image's file name, which the reader looks for in `JPEGImages/`. In FiftyOne's layout, `labels/<stem>.xml`
/// per image naming the image's absolute `<path>` (as FiftyOne writes it, from the exporting machine) and
/// FiftyOne's empty `<pose>`, `<truncated>` and `<occluded>`, with neither class nor split lists.
///
/// Boxes are written as given (0-based, floats, the wrong length); an object without a category has no `<name>`,
/// one with an undefined category id has the id as its name, one without a box has no `<bndbox>`.
public enum VOCWriter {
    /// Writes the files under `directory` (the dataset root) and returns their paths relative to it, sorted.
    /// Throws `invalidArgument` when two images share a file stem, which VOC's layout cannot hold.
    @discardableResult
    public static func write(
        _ dataset: AnnotatedDataset, to directory: String, layout: DatasetLayout = .standard
    ) throws(VisionError) -> [String] {
        let folder = layout == .fiftyOne ? "labels" : "Annotations"
        var stems: [String: String] = [:]
        for image in dataset.images {
            let stem = DatasetPaths.stem(image.path)
            if let other = stems.updateValue(image.path, forKey: stem) {
                throw VisionError(
                    .invalidArgument,
                    "\(other) and \(image.path) would both be written as "
                        + "\(folder)/\(stem).xml; VOC needs a distinct file name per image")
            }
        }
        var objects: [[Annotation]] = Array(repeating: [], count: dataset.images.count)
        for annotation in dataset.annotations where dataset.images.indices.contains(annotation.image) {
            objects[annotation.image].append(annotation)
        }
        let names = Dictionary(dataset.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var written: [String] = []
        var splits: [String: [String]] = [:]
        for (index, image) in dataset.images.enumerated() {
            let stem = DatasetPaths.stem(image.path)
            let xml = annotationXML(image, objects: objects[index], names: names, fiftyOneRoot: layout == .fiftyOne ? directory : nil)
            written.append(try AnnotationText.write(xml, to: "\(folder)/\(stem).xml", in: directory))
            if layout == .fiftyOne { continue }
            if let split = image.split { splits[AnnotationText.component(split), default: []].append(stem) }
        }
        for (split, stems) in splits {
            let text = stems.sorted(by: DatasetPaths.utf8Order).map { $0 + "\n" }.joined()
            written.append(try AnnotationText.write(text, to: "ImageSets/Main/\(split).txt", in: directory))
        }
        if layout == .fiftyOne { return written.sorted(by: DatasetPaths.utf8Order) }
        let labels = dataset.categories.sorted { $0.id < $1.id }.map { $0.name + "\n" }.joined()
        written.append(try AnnotationText.write(labels, to: "labels.txt", in: directory))
        return written.sorted(by: DatasetPaths.utf8Order)
    }

    static func annotationXML(
        _ image: ImageEntry, objects: [Annotation], names: [Int: String], fiftyOneRoot: String? = nil
    ) -> String {
        var xml = "<annotation>\n"
        xml += "\t<folder>\(fiftyOneRoot == nil ? "JPEGImages" : "data")</folder>\n"
        xml += "\t<filename>\(AnnotationText.xmlEscaped(DatasetPaths.name(image.path)))</filename>\n"
        if let fiftyOneRoot {
            // FiftyOne writes where the image was on the machine that exported it.
            let absolute = "/exports/" + DatasetPaths.name(fiftyOneRoot) + "/" + image.path
            xml += "\t<path>\(AnnotationText.xmlEscaped(absolute))</path>\n\t<source>\n\t\t<database></database>\n\t</source>\n"
        }
        if image.declaredWidth != nil || image.declaredHeight != nil {
            xml += "\t<size>\n"
            if let width = image.declaredWidth { xml += "\t\t<width>\(width)</width>\n" }
            if let height = image.declaredHeight { xml += "\t\t<height>\(height)</height>\n" }
            xml += "\t\t<depth>3</depth>\n\t</size>\n"
        }
        for object in objects {
            xml += "\t<object>\n"
            if let category = object.category {
                xml += "\t\t<name>\(AnnotationText.xmlEscaped(names[category] ?? String(category)))</name>\n"
            }
            if fiftyOneRoot != nil { xml += "\t\t<pose></pose>\n\t\t<truncated>0</truncated>\n" }
            xml += "\t\t<difficult>0</difficult>\n"
            if fiftyOneRoot != nil { xml += "\t\t<occluded>0</occluded>\n" }
            if let box = object.box {
                xml += "\t\t<bndbox>\n"
                for (key, value) in zip(["xmin", "ymin", "xmax", "ymax"], box) {
                    xml += "\t\t\t<\(key)>\(AnnotationText.number(value))</\(key)>\n"
                }
                xml += "\t\t</bndbox>\n"
            }
            xml += "\t</object>\n"
        }
        return xml + "</annotation>\n"
    }
}
