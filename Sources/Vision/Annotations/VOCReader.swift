import Foundation

/// Reads Pascal VOC XML: one `<annotation>` file per image, in `Annotations/` beside `JPEGImages/` (VOCdevkit),
/// beside the image, or in any folder with the images elsewhere (FiftyOne's `labels/` and `data/`). Categories are named, so ids come from `labels.txt`/`classes.txt` at the root when there is
/// one, else from the order names first appear.
struct VOCReader {
    let listing: DatasetListing

    /// Whether the file's root element is `<annotation>` (judged from its first 4 KiB).
    static func isVOCFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        return rootElementName(head) == "annotation"
    }

    /// The first element name, skipping the declaration, comments and a doctype.
    static func rootElementName(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                index += 2
                continue
            }
            let start = index + 1
            var end = start
            while end < bytes.count, !" \t\r\n/>".utf8.contains(bytes[end]) { end += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }

    /// The `.xml` files to read: those in an `Annotations` folder, and others whose root is `<annotation>`.
    static func annotationFiles(in listing: DatasetListing) -> [String] {
        listing.files(withExtensions: ["xml"]).filter { file in
            isInAnnotationsFolder(file) || isVOCFile(listing.absolute(file))
        }
    }

    static func isInAnnotationsFolder(_ file: String) -> Bool {
        DatasetPaths.name(DatasetPaths.directory(file)).lowercased() == "annotations"
    }

    func read() throws(VisionError) -> AnnotatedDataset {
        let files = Self.annotationFiles(in: listing)
        guard !files.isEmpty else {
            throw VisionError(
                .unknownFormat,
                "no Pascal VOC annotation file under \(listing.root): no .xml in Annotations/ or with an "
                    + "<annotation> root; name the format with --format coco|yolo|voc|cvat|imagenet")
        }
        var findings = AnnotationFindings()
        var dataset = AnnotatedDataset(format: .voc, annotationFiles: files)
        dataset.conventionalAttributes = AttributeDefinition.vocConventional
        var categories = VOCCategories(listing: listing)
        if let list = categories.listFile { dataset.annotationFiles.append(list) }
        var splits = VOCSplits(listing: listing)
        let images = ImageFileIndex(listing: listing)
        try listing.readAnnotationFiles(files, format: "Pascal VOC", findings: &findings) { file, bytes, findings in
            if let line = Self.lineOfEntityDeclaration(bytes) {
                findings.add(
                    file: file, line: line,
                    "the file declares XML entities (<!ENTITY …>), which are not "
                        + "read for safety; remove the DOCTYPE")
                return
            }
            switch XMLTree.parse(bytes) {
            case .failure(let error):
                findings.add(
                    file: file, line: error.line,
                    "\(file):\(error.line):\(error.column): \(error.reason); "
                        + "the XML cannot be read, so none of its objects were: fix the syntax",
                    details: ["line": .int(error.line), "column": .int(error.column)])
            case .success(let root):
                guard root.name == "annotation" else {
                    findings.add(
                        file: file, line: root.line,
                        "the root element is <\(root.name)>, not <annotation>; "
                            + "write a Pascal VOC annotation or move the file out of Annotations/")
                    return
                }
                var entry = VOCFile(path: file, listing: listing, images: images)
                entry.read(root, into: &dataset, categories: &categories, splits: &splits)
                findings.all += entry.findings.all
            }
        }
        findings.all += categories.findings.all
        dataset.categories = categories.list
        dataset.findings = findings.all
        dataset.annotationFiles.sort(by: DatasetPaths.utf8Order)
        return dataset
    }

    private static func lineOfEntityDeclaration(_ bytes: [UInt8]) -> Int? {
        let pattern = Array("<!ENTITY".utf8)
        guard bytes.count >= pattern.count else { return nil }
        var line = 1
        for index in 0...(bytes.count - pattern.count) {
            if bytes[index] == 0x0A { line += 1 }
            if bytes[index] == pattern[0], bytes[index..<index + pattern.count].elementsEqual(pattern) { return line }
        }
        return nil
    }
}

/// VOC's class names to ids: `labels.txt` or `classes.txt` at the root gives the order; otherwise first appearance.
/// A name the list lacks gets an id after the listed ones, in order of first appearance, that no category has, so
/// the label checks report it as undefined at the object's line.
struct VOCCategories {
    private(set) var list: [Category] = []
    private(set) var listFile: String?
    private(set) var findings = AnnotationFindings()
    private var ids: [String: Int] = [:]

    init(listing: DatasetListing) {
        guard let file = ["labels.txt", "classes.txt"].first(where: listing.contains) else { return }
        listFile = file
        guard let bytes = listing.read(file) else {
            findings.add(file: file, line: nil, "the file cannot be read; check its permissions")
            return
        }
        for line in TextLines.lines(bytes) {
            let name = String(line.text.trimmingSpaces)
            guard !name.isEmpty else { continue }
            guard ids[name] == nil else {
                findings.add(file: file, line: line.number, "\"\(name)\" is listed twice; list each class once")
                continue
            }
            ids[name] = list.count
            list.append(Category(id: list.count, name: name))
        }
    }

    /// The id of a class name.
    mutating func id(of name: String) -> Int {
        if let id = ids[name] { return id }
        let id = ids.count
        ids[name] = id
        if listFile == nil { list.append(Category(id: id, name: name)) }
        return id
    }
}
