/// Where a YOLO dataset's files are: Ultralytics `images/<split>/x.jpg` with `labels/<split>/x.txt`, flat
/// `images/` and `labels/`, or each `x.txt` beside its `x.jpg`.
struct YOLOLayout {
    let listing: DatasetListing
    /// The label file of each image that has one, by image path.
    let labelOfImage: [String: String]
    /// Every label file, sorted: `.txt` files under a `labels` folder, beside an image of the same stem, or in a
    /// folder where other label files sit beside their images; not class lists or read-me files.
    let labelFiles: [String]
    /// `data.yaml`, `dataset.yaml`, or another `.yaml` at the root with a `names:` key.
    let dataYAML: String?

    init(listing: DatasetListing) {
        self.listing = listing
        var labelOfImage: [String: String] = [:]
        var pairedFolders: Set<String> = []
        for image in listing.images {
            for candidate in Self.labelCandidates(forImage: image) where listing.contains(candidate) {
                labelOfImage[image] = candidate
                if DatasetPaths.directory(candidate) == DatasetPaths.directory(image) {
                    pairedFolders.insert(DatasetPaths.directory(image))
                }
                break
            }
        }
        self.labelOfImage = labelOfImage
        let paired = Set(labelOfImage.values)
        labelFiles = listing.files(withExtensions: ["txt"]).filter { file in
            if paired.contains(file) { return true }
            guard !Self.isNotALabelFile(file) else { return false }
            return Self.isUnderLabels(file) || pairedFolders.contains(DatasetPaths.directory(file))
        }
        dataYAML = Self.dataYAML(in: listing)
    }

    /// `images/…/x.jpg` → `labels/…/x.txt` (the last `images` folder replaced, as Ultralytics does), then
    /// `x.txt` beside the image.
    static func labelCandidates(forImage image: String) -> [String] {
        var candidates: [String] = []
        var components = image.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
            String(Substring($0))
        }
        if let index = components.dropLast().lastIndex(of: "images") {
            components[index] = "labels"
            candidates.append(DatasetPaths.removingExtension(components.joined(separator: "/")) + ".txt")
        }
        candidates.append(DatasetPaths.removingExtension(image) + ".txt")
        return candidates
    }

    private static func isUnderLabels(_ file: String) -> Bool {
        file.utf8.split(separator: UInt8(ascii: "/")).dropLast().contains { Substring($0).lowercased() == "labels" }
    }

    private static let notLabels: Set<String> = ["classes", "labels", "license"]

    private static func isNotALabelFile(_ file: String) -> Bool {
        let stem = DatasetPaths.stem(file).lowercased()
        return notLabels.contains(stem) || stem.hasPrefix("readme")
            || file.split(separator: "/").contains { $0 == "ImageSets" }
    }

    static func dataYAML(in listing: DatasetListing) -> String? {
        for name in ["data.yaml", "dataset.yaml", "data.yml", "dataset.yml"] where listing.contains(name) {
            return name
        }
        return listing.files.first { file in
            !file.contains("/") && ["yaml", "yml"].contains(DatasetPaths.fileExtension(file))
                && (listing.read(file).map { YOLODataYAML.declaresNames($0) } ?? false)
        }
    }

    /// `classes.txt` (or `obj.names`) at the root, else the first one in a folder.
    static func classesFile(in listing: DatasetListing) -> String? {
        for name in ["classes.txt", "obj.names"] where listing.contains(name) { return name }
        return listing.files.first { ["classes.txt", "obj.names"].contains(DatasetPaths.name($0)) }
    }
}
