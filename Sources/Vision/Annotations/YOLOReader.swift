/// Reads YOLO (Ultralytics) labels: one `.txt` per image, lines `class cx cy w h` as fractions of the image's size;
/// classes from `data.yaml` or `classes.txt`. Every image on disk is an image of the dataset; one without a label
/// file, or with an empty one, is a background image.
struct YOLOReader {
    let listing: DatasetListing

    func read() throws(VisionError) -> AnnotatedDataset {
        let layout = YOLOLayout(listing: listing)
        let classesFile = YOLOLayout.classesFile(in: listing)
        guard !layout.labelFiles.isEmpty || layout.dataYAML != nil || classesFile != nil else {
            throw VisionError(
                .unknownFormat,
                "no YOLO labels under \(listing.root): no .txt label files under labels/ or beside the images, no "
                    + "data.yaml or classes.txt; name the format with --format coco|yolo|voc|cvat|imagenet")
        }
        var findings = AnnotationFindings()
        var dataset = AnnotatedDataset(format: .yolo)
        var annotationFiles: [String] = []
        var categories: [Category]?
        if let yaml = layout.dataYAML {
            annotationFiles.append(yaml)
            if let bytes = listing.read(yaml) {
                let data = YOLODataYAML(bytes: bytes, file: yaml)
                findings.all += data.findings.all
                categories = data.names
                if !data.hasNamesKey {
                    findings.add(
                        file: yaml, line: nil,
                        "\(yaml) has no names"
                            + (classesFile.map { "; the classes are taken from \($0)" } ?? "")
                            + ": list the class names under names:")
                }
            } else {
                findings.add(file: yaml, line: nil, "the file cannot be read; check its permissions")
            }
        }
        if categories == nil, let classesFile {
            annotationFiles.append(classesFile)
            categories = classList(classesFile, findings: &findings)
        }
        dataset.categories = categories ?? []
        let labels = Set(layout.labelFiles)
        var used: Set<String> = []
        for image in listing.images {
            let index = dataset.images.count
            let label = layout.labelOfImage[image].flatMap { labels.contains($0) ? $0 : nil }
            dataset.images.append(
                ImageEntry(
                    path: image, split: DatasetPaths.split(ofDirectoriesIn: image),
                    location: label.map { SourceLocation(file: $0) }))
            guard let label else { continue }
            used.insert(label)
            readLabels(label, image: index, into: &dataset, findings: &findings)
        }
        for label in layout.labelFiles where !used.contains(label) {
            findings.add(
                .orphanAnnotation, SourceLocation(file: label),
                "label file without an image: no "
                    + "\(DatasetPaths.stem(label)).jpg, .jpeg or .png in the matching images/ folder or beside it; add "
                    + "the image or remove the label file")
        }
        dataset.annotationFiles = (annotationFiles + layout.labelFiles).sorted(by: DatasetPaths.utf8Order)
        dataset.findings = findings.all
        return dataset
    }

    /// `classes.txt`: one name per line, ids from 0; trailing blank lines are ignored.
    private func classList(_ file: String, findings: inout AnnotationFindings) -> [Category]? {
        guard let bytes = listing.read(file) else {
            findings.add(file: file, line: nil, "the file cannot be read; check its permissions")
            return nil
        }
        var names = TextLines.lines(bytes).map { $0.text.trimmingSpaces }
        while names.last?.isEmpty == true { names.removeLast() }
        for (index, name) in names.enumerated() where name.isEmpty {
            findings.add(
                file: file, line: index + 1,
                "line \(index + 1) is empty, so class \(index) has no name; "
                    + "write one class name per line")
        }
        return names.enumerated().map { Category(id: $0.offset, name: String($0.element)) }
    }

    private func readLabels(
        _ file: String, image: Int, into dataset: inout AnnotatedDataset, findings: inout AnnotationFindings
    ) {
        guard let bytes = listing.read(file) else {
            findings.add(file: file, line: nil, "the file cannot be read; check its permissions")
            return
        }
        for line in TextLines.lines(bytes) {
            let fields = line.text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { Substring($0) }
            if fields.isEmpty { continue }
            let location = SourceLocation(file: file, line: line.number)
            switch YOLOLine.parse(fields) {
            case .success(let (category, box)):
                dataset.annotations.append(
                    Annotation(
                        image: image, category: category, box: box, convention: .yoloNormalised,
                        location: location))
            case .failure(let problem):
                findings.add(location, problem.description)
            }
        }
    }
}

/// One line of a YOLO label file.
enum YOLOLine {
    /// `class cx cy w h`, or `class x1 y1 … xn yn` (a polygon of 3 or more points, read as its bounding box as
    /// Ultralytics does for detection). Numbers are kept as written, even beyond 0...1.
    static func parse(_ fields: [Substring]) -> Result<(Int, [Double]), ReadProblem> {
        guard fields.count == 5 || (fields.count >= 7 && fields.count % 2 == 1) else {
            let hint = fields.count == 6 ? " (a sixth column such as a confidence score does not belong in labels)" : ""
            return .failure(
                ReadProblem(
                    "the line has \(fields.count) fields\(hint); write `class cx cy w h` with "
                        + "the box as fractions of the image's width and height"))
        }
        guard let classValue = number(fields[0]) else {
            return .failure(ReadProblem("the class \"\(fields[0])\" is not a number; write the class index from 0"))
        }
        guard classValue >= 0, classValue == classValue.rounded(.towardZero), classValue < 1e9 else {
            return .failure(
                ReadProblem(
                    "the class \(fields[0]) is not a whole number of 0 or more; write the class "
                        + "index from 0"))
        }
        var values: [Double] = []
        for field in fields.dropFirst() {
            guard let value = number(field) else {
                return .failure(ReadProblem("\"\(field)\" is not a number; write the box as decimal numbers"))
            }
            values.append(value)
        }
        if values.count == 4 { return .success((Int(classValue), values)) }
        let xs = stride(from: 0, to: values.count, by: 2).map { values[$0] }
        let ys = stride(from: 1, to: values.count, by: 2).map { values[$0] }
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 0, minY = ys.min() ?? 0, maxY = ys.max() ?? 0
        return .success((Int(classValue), [(minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY]))
    }

    /// A decimal number (`12`, `-0.5`, `.5`, `1e-3`), or `nan`/`inf` kept for the geometry checks; not hex.
    static func number(_ field: Substring) -> Double? {
        if isDecimal(field.utf8) { return Double(field) }
        let lower = field.lowercased()
        return ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(lower)
            ? Double(lower) : nil
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one side of the point.
    private static func isDecimal(_ utf8: Substring.UTF8View) -> Bool {
        var index = utf8.startIndex
        var sawDigit = false
        func skipDigits() {
            while index < utf8.endIndex, (48...57).contains(utf8[index]) {
                sawDigit = true
                index = utf8.index(after: index)
            }
        }
        if index < utf8.endIndex, utf8[index] == 43 || utf8[index] == 45 { index = utf8.index(after: index) }
        skipDigits()
        if index < utf8.endIndex, utf8[index] == 46 {
            index = utf8.index(after: index)
            skipDigits()
        }
        guard sawDigit else { return false }
        if index < utf8.endIndex, utf8[index] == 101 || utf8[index] == 69 {
            index = utf8.index(after: index)
            if index < utf8.endIndex, utf8[index] == 43 || utf8[index] == 45 { index = utf8.index(after: index) }
            sawDigit = false
            skipDigits()
            guard sawDigit else { return false }
        }
        return index == utf8.endIndex
    }
}
