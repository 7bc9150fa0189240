/// Reads COCO JSON files: every `.json` under the root whose top level has an `images` member, one file per split
/// or one for all.
struct COCOReader {
    let listing: DatasetListing

    /// The COCO files under the root: `.json` files with `images` among their top-level keys. In a folder with
    /// `instances_*.json` files, COCO's companion files (`captions_*`, `person_keypoints_*`, `panoptic_*`,
    /// `image_info_*`, `stuff_*`), which declare the same images again, are left out.
    static func annotationFiles(in listing: DatasetListing) -> [String] {
        let files = listing.files(withExtensions: ["json"]).filter { file in
            JSONKeyScanner.topLevelKeys(ofFileAt: listing.absolute(file)).contains("images")
        }
        let instanceFolders = Set(
            files.filter { DatasetPaths.name($0).hasPrefix("instances_") }.map(DatasetPaths.directory))
        let companions = ["captions_", "person_keypoints_", "panoptic_", "image_info_", "stuff_"]
        return files.filter { file in
            let name = DatasetPaths.name(file)
            return
                !(instanceFolders.contains(DatasetPaths.directory(file)) && companions.contains(where: name.hasPrefix))
        }
    }

    func read() throws(VisionError) -> AnnotatedDataset {
        let files = Self.annotationFiles(in: listing)
        guard !files.isEmpty else {
            throw VisionError(
                .unknownFormat,
                "no COCO annotation file under \(listing.root): none of its .json files has a top-level \"images\" "
                    + "member; name the format with --format coco|yolo|voc|cvat|imagenet")
        }
        var dataset = AnnotatedDataset(format: .coco, annotationFiles: files)
        var findings = AnnotationFindings()
        var categories = COCOCategories()
        let paths = COCOImagePaths(listing: listing)
        try listing.readAnnotationFiles(files, format: "COCO", findings: &findings) { file, bytes, findings in
            let document: LocatedJSON
            do throws(LocatedJSON.SyntaxError) {
                document = try LocatedJSON(parsing: bytes)
            } catch {
                findings.add(
                    file: file, line: error.line,
                    "\(file):\(error.line):\(error.column): \(error.reason); the file is not valid JSON, so none of "
                        + "its annotations were read: fix the syntax",
                    details: ["line": .int(error.line), "column": .int(error.column)])
                return
            }
            var entry = COCOFile(path: file, split: Self.split(of: file), findings: findings, categories: categories)
            entry.read(document.root, paths: paths, into: &dataset)
            findings = entry.findings
            categories = entry.categories
        }
        dataset.categories = categories.list
        dataset.findings = findings.all
        return dataset
    }

    /// The split a COCO file's name, or else its folders, names.
    static func split(of file: String) -> String? {
        DatasetPaths.split(ofName: DatasetPaths.stem(file)) ?? DatasetPaths.split(ofDirectoriesIn: file)
    }
}

/// Categories across COCO files: each split's file usually repeats the same list.
struct COCOCategories {
    private(set) var list: [Category] = []
    private var declared: [Int: (name: String, location: SourceLocation)] = [:]

    /// How many keypoints category `id` names (0 for a category without keypoints or one not declared).
    func keypointCount(of id: Int) -> Int { list.first { $0.id == id }?.keypoints.count ?? 0 }

    /// Adds a category, or reports it when its id is already taken: in the same file always, in another file only
    /// when the name differs.
    mutating func add(_ category: Category, at location: SourceLocation, findings: inout AnnotationFindings) {
        guard let first = declared[category.id] else {
            declared[category.id] = (category.name, location)
            list.append(category)
            return
        }
        if first.location.file == location.file || first.name != category.name {
            findings.add(
                .duplicateID, location,
                "category id \(category.id) (\"\(category.name)\") is already declared at \(first.location) as "
                    + "\"\(first.name)\"; give each category its own id",
                details: ["id": .int(category.id), "first": .string(first.location.description)])
        }
    }
}

/// One COCO file being read.
struct COCOFile {
    let path: String
    let split: String?
    var findings: AnnotationFindings
    var categories: COCOCategories
    /// Ids of images left out for want of a `file_name`: their annotations are left out without a finding each.
    var unusableImageIDs: Set<Int> = []
    /// The entry of `images`, `annotations` or `categories` being read, which findings name by its place.
    var entry: (array: String, offset: Int, value: LocatedJSON.Value, id: Int?)?

    /// Where a value is: line and column when the file has lines, and its place in the document — the entry being
    /// read (`annotations[17] (id 18)`) and the member of it (`annotations[17].bbox (id 18)`) — which names it
    /// even in a file written on one line, as Datumaro and FiftyOne write COCO.
    func at(_ value: LocatedJSON.Value) -> SourceLocation {
        let lines = value.documentHasLines
        var position: String?
        if let entry {
            var place = "\(entry.array)[\(entry.offset)]"
            if value.index != entry.value.index,
                let member = entry.value.members.first(where: { $0.value.index == value.index })
            {
                place += "." + member.key
            }
            if let id = entry.id { place += " (id \(id))" }
            position = place
        }
        return SourceLocation(
            file: path, line: lines ? value.line : nil, column: lines ? value.column : nil, position: position)
    }

    mutating func read(_ root: LocatedJSON.Value, paths: COCOImagePaths, into dataset: inout AnnotatedDataset) {
        guard root.kind == .object else {
            findings.add(
                at(root),
                "the top level is \(root.kindPhrase), not an object with \"images\", "
                    + "\"annotations\" and \"categories\"; write a COCO object")
            return
        }
        guard let images = root["images"], images.kind == .array else {
            let written = root["images"]
            findings.add(
                written.map(at) ?? at(root),
                "\"images\" is \(written?.kindPhrase ?? "missing"), not an "
                    + "array; list the images as [{\"id\", \"file_name\", \"width\", \"height\"}, …]")
            return
        }
        if let list = root["categories"] { readCategories(list) }
        let imageIndex = readImages(images, paths: paths, into: &dataset)
        if let annotations = root["annotations"] {
            guard annotations.kind == .array else {
                findings.add(
                    at(annotations),
                    "\"annotations\" is \(annotations.kindPhrase), not an array; list "
                        + "the annotations as [{\"id\", \"image_id\", \"category_id\", \"bbox\", …}, …]")
                return
            }
            readAnnotations(annotations, imageIndex: imageIndex, into: &dataset)
        }
    }

    private mutating func readCategories(_ list: LocatedJSON.Value) {
        guard list.kind == .array else {
            findings.add(
                at(list),
                "\"categories\" is \(list.kindPhrase), not an array; list the categories as "
                    + "[{\"id\", \"name\"}, …]")
            return
        }
        defer { self.entry = nil }
        for (offset, entry) in list.elements.enumerated() {
            self.entry = ("categories", offset, entry, nil)
            guard entry.kind == .object else {
                findings.add(at(entry), "a category is \(entry.kindPhrase), not an object {\"id\", \"name\"}")
                continue
            }
            guard let id = requiredInt(entry, "id", of: "category") else { continue }
            self.entry?.id = id
            guard let nameValue = entry["name"], let name = nameValue.string else {
                findings.add(
                    at(entry["name"] ?? entry),
                    "category \(id) has \(describe(entry["name"])) for "
                        + "\"name\"; give it a name as a string")
                continue
            }
            categories.add(Category(id: id, name: name, keypoints: keypointNames(entry)), at: at(entry), findings: &findings)
        }
    }

    /// Reads the images; returns image id → index in `dataset.images`.
    private mutating func readImages(
        _ list: LocatedJSON.Value, paths: COCOImagePaths, into dataset: inout AnnotatedDataset
    ) -> [Int: Int] {
        var entries: [(fileName: String, image: ImageEntry)] = []
        var firstPlaces: [Int: String] = [:]
        defer { self.entry = nil }
        for (offset, entry) in list.elements.enumerated() {
            self.entry = ("images", offset, entry, entry["id"]?.int)
            guard entry.kind == .object else {
                findings.add(
                    at(entry),
                    "an image is \(entry.kindPhrase), not an object {\"id\", \"file_name\", "
                        + "\"width\", \"height\"}")
                continue
            }
            guard let fileNameValue = entry["file_name"], let fileName = fileNameValue.string, !fileName.isEmpty else {
                findings.add(
                    at(entry["file_name"] ?? entry),
                    "an image has \(describe(entry["file_name"])) for \"file_name\", so it and its annotations "
                        + "cannot be read; give the image's file name as a string"
                )
                if let id = entry["id"]?.int { unusableImageIDs.insert(id) }
                continue
            }
            let id = requiredInt(entry, "id", of: "image \"\(fileName)\"")
            if let id, let first = firstPlaces[id] {
                findings.add(
                    .duplicateID, at(entry),
                    "image id \(id) (\"\(fileName)\") is already used by the image "
                        + "at \(first); give each image its own id",
                    details: ["id": .int(id), "first": .string(first)])
            } else if let id {
                firstPlaces[id] = at(entry).description
            }
            let width = size(entry, "width", of: fileName)
            let height = size(entry, "height", of: fileName)
            let image = ImageEntry(
                path: "", split: split, declaredWidth: width, declaredHeight: height, cocoID: id,
                location: at(entry))
            entries.append((fileName, image))
        }
        let resolved = paths.resolve(entries.map(\.fileName), jsonPath: path)
        var index: [Int: Int] = [:]
        for (offset, entry) in entries.enumerated() {
            var image = entry.image
            image.path = resolved[offset]
            if let id = image.cocoID, index[id] == nil { index[id] = dataset.images.count }
            dataset.images.append(image)
        }
        return index
    }

    private mutating func size(_ entry: LocatedJSON.Value, _ key: String, of fileName: String) -> Int? {
        guard let value = entry[key] else {
            findings.add(
                at(entry),
                "image \"\(fileName)\" has no \"\(key)\"; add the image's width and height so "
                    + "its size can be checked", severity: .warning)
            return nil
        }
        guard let int = value.int else {
            findings.add(
                at(value),
                "image \"\(fileName)\" has \(value.quoted) for \"\(key)\", not an integer; "
                    + "write the size in whole pixels")
            return nil
        }
        return int
    }

    /// An integer member that must be there; reports it and returns nil when it is missing or not an integer.
    mutating func requiredInt(_ entry: LocatedJSON.Value, _ key: String, of what: String) -> Int? {
        guard let value = entry[key] else {
            findings.add(at(entry), "\(what) has no \"\(key)\"; add it as an integer")
            return nil
        }
        guard let int = value.int else {
            findings.add(
                at(value),
                "\(what) has \(value.quoted) for \"\(key)\", not an integer; write the id as "
                    + "an integer")
            return nil
        }
        return int
    }

    func describe(_ value: LocatedJSON.Value?) -> String {
        value.map(\.quoted) ?? "nothing"
    }
}
