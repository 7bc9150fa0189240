import Foundation

/// Reads CVAT for images 1.1 XML (`annotations.xml`, root `<annotations>`): the labels from `<meta>` (a task's,
/// a job's or a project's), each `<image>` with its `name`, `width`, `height` and `subset`, and its `<box>`es
/// (pixels, corners `xtl ytl xbr ybr`, read as COCO-style x, y, width, height), `<polygon>`s (`points`
/// "x,y;x,y;…") and `<tag>`s (image-level labels). Other shapes (polylines, points, masks, ellipses, cuboids,
/// skeletons) are not checked. Images are looked for by their `name` at the root, in `images/` (CVAT's export)
/// and then anywhere in the dataset.
struct CVATReader {
    let listing: DatasetListing

    static func isCVATFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        return VOCReader.rootElementName(head) == "annotations"
    }

    static func annotationFiles(in listing: DatasetListing) -> [String] {
        listing.files(withExtensions: ["xml"]).filter { isCVATFile(listing.absolute($0)) }
    }

    func read() throws(VisionError) -> AnnotatedDataset {
        let files = Self.annotationFiles(in: listing)
        guard !files.isEmpty else {
            throw VisionError(
                .unknownFormat,
                "no CVAT annotation file under \(listing.root): no .xml with an <annotations> root; name the format "
                    + "with --format coco|yolo|voc|cvat|imagenet")
        }
        var dataset = AnnotatedDataset(format: .cvat, annotationFiles: files)
        var findings = AnnotationFindings()
        var labels = CVATLabels()
        let images = ImageFileIndex(listing: listing)
        try listing.readAnnotationFiles(files, format: "CVAT", findings: &findings) { file, bytes, findings in
            switch XMLTree.parse(bytes) {
            case .failure(let error):
                findings.add(
                    file: file, line: error.line,
                    "\(file):\(error.line):\(error.column): \(error.reason); the XML cannot be read, so none of its "
                        + "images were: fix the syntax",
                    details: ["line": .int(error.line), "column": .int(error.column)])
            case .success(let root):
                var entry = CVATFile(path: file, listing: listing, images: images)
                entry.read(root, into: &dataset, labels: &labels)
                findings.all += entry.findings.all
            }
        }
        dataset.categories = labels.declared
        dataset.findings = findings.all
        return dataset
    }
}

/// CVAT's label names to ids: those `<meta>` declares, in order; a name it lacks gets an id no category has, so
/// the label checks report it as undefined where it is used.
struct CVATLabels {
    private(set) var declared: [Category] = []
    private var ids: [String: Int] = [:]
    private var undeclared = 0

    mutating func declare(_ name: String, attributes: [AttributeDefinition]) {
        guard ids[name] == nil else { return }
        ids[name] = declared.count
        declared.append(Category(id: declared.count, name: name, attributes: attributes))
    }

    mutating func id(of name: String) -> Int {
        if let id = ids[name] { return id }
        undeclared += 1
        let id = 1_000_000 + undeclared
        ids[name] = id
        return id
    }
}

/// One CVAT file being read.
struct CVATFile {
    let path: String
    let listing: DatasetListing
    let images: ImageFileIndex
    var findings = AnnotationFindings()

    private func at(_ element: ParsedXMLElement) -> SourceLocation { SourceLocation(file: path, line: element.line) }

    mutating func read(_ root: ParsedXMLElement, into dataset: inout AnnotatedDataset, labels: inout CVATLabels) {
        if let meta = root.child("meta") {
            for label in Self.descendants(of: meta, named: "label") {
                if let name = label.child("name")?.trimmedText, !name.isEmpty {
                    labels.declare(name, attributes: attributeDefinitions(of: label))
                }
            }
        }
        for image in root.children("image") {
            guard let name = image.attributes["name"], !name.isEmpty else {
                findings.add(at(image), "an <image> has no name, so it and its shapes cannot be read; give the image's file name")
                continue
            }
            let position = dataset.images.count
            let subset = image.attributes["subset"].flatMap { DatasetPaths.split(ofName: $0) }
            let resolved = resolve(name)
            dataset.images.append(ImageEntry(
                path: resolved, split: subset ?? DatasetPaths.split(ofDirectoriesIn: resolved),
                declaredWidth: size(image, "width"), declaredHeight: size(image, "height"), location: at(image)))
            for shape in image.children {
                readShape(shape, image: position, into: &dataset, labels: &labels)
            }
        }
    }

    private mutating func readShape(
        _ shape: ParsedXMLElement, image: Int, into dataset: inout AnnotatedDataset, labels: inout CVATLabels
    ) {
        guard ["box", "polygon", "tag"].contains(shape.name) else { return }
        guard let label = shape.attributes["label"], !label.isEmpty else {
            findings.add(at(shape), "a <\(shape.name)> has no label, so it was left out; give it one of the task's labels")
            return
        }
        let category = labels.id(of: label)
        var annotation: Annotation
        switch shape.name {
        case "box":
            var corners: [Double] = []
            for key in ["xtl", "ytl", "xbr", "ybr"] {
                guard let text = shape.attributes[key], let value = YOLOLine.number(Substring(text)) else {
                    findings.add(
                        at(shape),
                        "the \"\(label)\" box's \(key) is \(shape.attributes[key].map { "\"\($0)\"" } ?? "missing"), not a "
                            + "number, so the box was left out; give xtl, ytl, xbr and ybr in pixels")
                    return
                }
                corners.append(value)
            }
            annotation = Annotation(
                image: image, category: category,
                box: [corners[0], corners[1], corners[2] - corners[0], corners[3] - corners[1]], convention: .cocoPixels,
                location: at(shape))
        case "polygon":
            guard let polygon = Self.points(shape.attributes["points"] ?? "") else {
                findings.add(
                    at(shape),
                    "the \"\(label)\" polygon's points are not \"x,y;x,y;…\" numbers, so it was left out; write them so")
                return
            }
            annotation = Annotation(
                image: image, category: category, box: nil, convention: .cocoPixels, segmentation: .polygons([polygon]),
                location: at(shape))
        default:
            annotation = Annotation(image: image, category: category, box: nil, convention: .cocoPixels, location: at(shape))
        }
        annotation.attributes = attributes(of: shape)
        dataset.annotations.append(annotation)
    }

    /// The shape's `<attribute name="…">value</attribute>`s.
    private mutating func attributes(of shape: ParsedXMLElement) -> [String: String] {
        var values: [String: String] = [:]
        for attribute in shape.children("attribute") {
            guard let name = attribute.attributes["name"], !name.isEmpty else {
                findings.add(
                    at(attribute), "an <attribute> has no name, so its value was left out; name it as the label does",
                    severity: .warning)
                continue
            }
            values[name] = attribute.trimmedText
        }
        return values
    }

    /// A label's `<attributes>`: each `<attribute>`'s name and, by its `input_type`, the values it allows (the
    /// `<values>` lines of a select or radio; true or false for a checkbox; "min max step" lines for a number).
    private mutating func attributeDefinitions(of label: ParsedXMLElement) -> [AttributeDefinition] {
        (label.child("attributes")?.children("attribute") ?? []).compactMap { attribute in
            guard let name = attribute.child("name")?.trimmedText, !name.isEmpty else { return nil }
            let lines = (attribute.child("values")?.text ?? "").split(separator: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            switch attribute.child("input_type")?.trimmedText.lowercased() {
            case "select", "radio":
                return AttributeDefinition(name: name, values: lines.isEmpty ? .any : .oneOf(lines))
            case "checkbox":
                return AttributeDefinition(name: name, values: .oneOf(["true", "false"]))
            case "number":
                guard lines.count >= 2, let minimum = Double(lines[0]), let maximum = Double(lines[1]),
                    minimum <= maximum
                else {
                    findings.add(
                        at(attribute),
                        "the number attribute \"\(name)\" has values \"\(lines.joined(separator: " "))\", not "
                            + "\"minimum maximum step\"; its values are not checked: write the range in <values>",
                        severity: .warning)
                    return AttributeDefinition(name: name)
                }
                return AttributeDefinition(name: name, values: .range(minimum: minimum, maximum: maximum))
            default:
                return AttributeDefinition(name: name)
            }
        }
    }

    /// `x1,y1;x2,y2;…` as `[x1, y1, x2, y2, …]`; nil when any pair is not two numbers.
    static func points(_ text: String) -> [Double]? {
        var values: [Double] = []
        for pair in text.split(separator: ";") {
            let numbers = pair.split(separator: ",")
            guard numbers.count == 2, let x = YOLOLine.number(numbers[0]), let y = YOLOLine.number(numbers[1]) else {
                return nil
            }
            values += [x, y]
        }
        return values.isEmpty ? nil : values
    }

    private mutating func size(_ image: ParsedXMLElement, _ key: String) -> Int? {
        guard let text = image.attributes[key] else { return nil }
        guard let value = Int(text), value >= 0 else {
            findings.add(at(image), "the image's \(key) is \"\(text)\", not a whole number; write its \(key) in pixels")
            return nil
        }
        return value
    }

    /// The file an image `name` means: beside the XML, in `images/` (CVAT's export), else wherever an image of that
    /// name lies; when none exists, the first of the two, reported as missing (`images/<name>` for a bare name
    /// when the dataset has such a folder).
    private func resolve(_ name: String) -> String {
        let folder = DatasetPaths.directory(path)
        let beside = DatasetPaths.join(folder, name), inImages = DatasetPaths.join(folder, "images/" + name)
        for candidate in [beside, inImages] where listing.contains(candidate) { return candidate }
        if let found = images.find(name, near: folder) { return found }
        let imagesFolder = DatasetPaths.join(folder, "images") + "/"
        return !name.contains("/") && listing.images.contains { $0.hasPrefix(imagesFolder) } ? inImages : beside
    }

    static func descendants(of element: ParsedXMLElement, named name: String) -> [ParsedXMLElement] {
        element.children.flatMap { child in (child.name == name ? [child] : []) + descendants(of: child, named: name) }
    }
}
