/// One Pascal VOC annotation file being read.
struct VOCFile {
    let path: String
    let listing: DatasetListing
    let images: ImageFileIndex
    var findings = AnnotationFindings()

    init(path: String, listing: DatasetListing, images: ImageFileIndex) {
        self.path = path
        self.listing = listing
        self.images = images
    }

    private func at(_ element: ParsedXMLElement) -> SourceLocation { SourceLocation(file: path, line: element.line) }

    mutating func read(
        _ root: ParsedXMLElement, into dataset: inout AnnotatedDataset, categories: inout VOCCategories,
        splits: inout VOCSplits
    ) {
        let fileName = root.child("filename")?.trimmedText ?? ""
        if fileName.isEmpty {
            findings.add(
                at(root.child("filename") ?? root),
                "the annotation has no <filename>; the image is looked "
                    + "for by the file's own name: write the image's file name in <filename>")
        }
        let imagePath = resolveImage(
            fileName.isEmpty ? DatasetPaths.stem(path) : fileName, path: root.child("path")?.trimmedText ?? "")
        var width: Int?
        var height: Int?
        if let size = root.child("size") {
            width = dimension(size, "width")
            height = dimension(size, "height")
        } else {
            findings.add(
                at(root),
                "the annotation has no <size>; add <size><width>…</width><height>…</height>"
                    + "</size> so the image's size can be checked", severity: .warning)
        }
        let split = splits.split(ofAnnotation: path) ?? DatasetPaths.split(ofDirectoriesIn: imagePath)
        let image = dataset.images.count
        dataset.images.append(
            ImageEntry(
                path: imagePath, split: split, declaredWidth: width, declaredHeight: height,
                location: at(root)))
        for object in root.children("object") {
            readObject(object, image: image, into: &dataset, categories: &categories)
        }
    }

    private mutating func readObject(
        _ object: ParsedXMLElement, image: Int, into dataset: inout AnnotatedDataset, categories: inout VOCCategories
    ) {
        let name = object.child("name")?.trimmedText ?? ""
        var category: Int?
        if name.isEmpty {
            findings.add(at(object.child("name") ?? object), "the object has no <name>; write its class name")
        } else {
            category = categories.id(of: name)
        }
        guard let box = object.child("bndbox") else {
            findings.add(
                at(object),
                "the object\(name.isEmpty ? "" : " \"\(name)\"") has no <bndbox>, so it was "
                    + "left out; add <bndbox> with xmin, ymin, xmax and ymax")
            return
        }
        var values: [Double] = []
        for key in ["xmin", "ymin", "xmax", "ymax"] {
            guard let element = box.child(key) else {
                findings.add(
                    at(box),
                    "the <bndbox> has no <\(key)>, so the object was left out; give all of xmin, "
                        + "ymin, xmax and ymax")
                return
            }
            guard let value = YOLOLine.number(Substring(element.trimmedText)) else {
                findings.add(
                    at(element),
                    "<\(key)> is \"\(element.trimmedText)\", not a number, so the object was "
                        + "left out; write the coordinate in pixels")
                return
            }
            values.append(value)
        }
        var annotation = Annotation(
            image: image, category: category, box: values, convention: .vocOneBased, location: at(object))
        annotation.attributes = Self.attributes(of: object)
        dataset.annotations.append(annotation)
    }

    /// The object's flags and pose (`<difficult>`, `<truncated>`, `<occluded>`, `<pose>`; an empty one, as FiftyOne
    /// writes, is not written), and Datumaro's `<attributes><attribute><name>…</name><value>…</value>`.
    static func attributes(of object: ParsedXMLElement) -> [String: String] {
        var values: [String: String] = [:]
        for definition in AttributeDefinition.vocConventional {
            guard let text = object.child(definition.name)?.trimmedText, !text.isEmpty else { continue }
            values[definition.name] = text
        }
        for attribute in object.child("attributes")?.children("attribute") ?? [] {
            guard let name = attribute.child("name")?.trimmedText, !name.isEmpty else { continue }
            values[name] = attribute.child("value")?.trimmedText ?? ""
        }
        return values
    }

    private mutating func dimension(_ size: ParsedXMLElement, _ key: String) -> Int? {
        guard let element = size.child(key) else {
            findings.add(at(size), "<size> has no <\(key)>; add the image's \(key) in pixels", severity: .warning)
            return nil
        }
        let text = element.trimmedText
        guard let value = YOLOLine.number(Substring(text)), value.isFinite, value == value.rounded(.towardZero),
            abs(value) < 1e15
        else {
            findings.add(at(element), "<\(key)> is \"\(text)\", not a whole number; write the image's \(key) in pixels")
            return nil
        }
        return Int(value)
    }

    /// `JPEGImages/<filename>` beside the `Annotations` folder, or the file beside the XML; else the file `<path>`
    /// names (relative to the root or the XML, or an absolute path from the exporting machine matched by its
    /// trailing folders); else an image of that name anywhere in the dataset (FiftyOne writes `labels/` beside
    /// `data/`). When none exists, the first of these, for the pipeline to report as missing. A name without an
    /// extension is tried with .jpg, .jpeg and .png.
    private func resolveImage(_ fileName: String, path pathElement: String) -> String {
        let folder = DatasetPaths.directory(path)
        var bases: [String] = []
        if VOCReader.isInAnnotationsFolder(path) {
            bases.append(DatasetPaths.join(DatasetPaths.directory(folder), "JPEGImages"))
        }
        bases.append(folder)
        let names =
            DatasetPaths.fileExtension(fileName).isEmpty
            ? [".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG"].map { fileName + $0 } : [fileName]
        for base in bases {
            for name in names where listing.contains(DatasetPaths.join(base, name)) {
                return DatasetPaths.join(base, name)
            }
        }
        if !pathElement.isEmpty {
            if !pathElement.hasPrefix("/") {
                for candidate in [DatasetPaths.join("", pathElement), DatasetPaths.join(folder, pathElement)]
                where listing.contains(candidate) {
                    return candidate
                }
            }
            if let found = images.find(pathElement, near: folder) { return found }
        }
        for name in names {
            if let found = images.find(name, near: folder) { return found }
        }
        return DatasetPaths.join(bases[0], names[0])
    }
}

/// VOC's `ImageSets/Main/{train,val,test}.txt` beside each `Annotations` folder: image ids (file stems) per split.
struct VOCSplits {
    let listing: DatasetListing
    private var byFolder: [String: [String: String]] = [:]

    init(listing: DatasetListing) { self.listing = listing }

    /// The split listing the annotation's stem; nil when there are no lists or none has it.
    mutating func split(ofAnnotation file: String) -> String? {
        guard VOCReader.isInAnnotationsFolder(file) else { return nil }
        let base = DatasetPaths.directory(DatasetPaths.directory(file))
        if byFolder[base] == nil { byFolder[base] = load(base) }
        return byFolder[base]?[DatasetPaths.stem(file)]
    }

    private func load(_ base: String) -> [String: String] {
        var splits: [String: String] = [:]
        for split in ["train", "val", "test"] {
            let list = DatasetPaths.join(base, "ImageSets/Main/\(split).txt")
            guard let bytes = listing.read(list) else { continue }
            for line in TextLines.lines(bytes) {
                guard let id = line.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
                if splits[String(id)] == nil { splits[String(id)] = split }
            }
        }
        return splits
    }
}
