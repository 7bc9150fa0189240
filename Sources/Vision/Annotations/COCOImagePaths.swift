/// Finds the file a COCO `file_name` names. COCO files do not say where their images are: `file_name` may be
/// relative to the JSON's folder (Roboflow), the dataset root, or a split folder named like the JSON
/// (`annotations/instances_val2017.json` with `val2017/`), or carry folders of its own (or an absolute path);
/// failing those, the image of that name anywhere in the dataset is taken (FiftyOne's `data/` + `labels.json`).
struct COCOImagePaths {
    let listing: DatasetListing
    private let images: ImageFileIndex

    init(listing: DatasetListing) {
        self.listing = listing
        images = ImageFileIndex(listing: listing)
    }

    /// Resolves each `file_name` of one JSON file. Names with no file on disk get the folder most of the file's
    /// other images were found in, or, when none was found, the JSON's folder (its parent for a folder named
    /// `annotations`), so the pipeline reports them as missing there.
    func resolve(_ fileNames: [String], jsonPath: String) -> [String] {
        let folder = DatasetPaths.directory(jsonPath)
        let candidateFolders = candidates(jsonPath: jsonPath)
        var resolved: [String?] = []
        var prefixCounts: [String: Int] = [:]
        for fileName in fileNames {
            let path = find(fileName, in: candidateFolders, near: folder)
            resolved.append(path)
            if let path, let prefix = prefix(of: path, fileName: fileName) {
                prefixCounts[prefix, default: 0] += 1
            }
        }
        let dominant = prefixCounts.max { a, b in
            a.value != b.value ? a.value < b.value : DatasetPaths.utf8Order(b.key, a.key)
        }?.key
        let fallback =
            dominant
            ?? (DatasetPaths.name(folder).lowercased() == "annotations"
                ? DatasetPaths.directory(folder) : folder)
        return zip(fileNames, resolved).map { fileName, path in
            path ?? DatasetPaths.join(fallback, fileName)
        }
    }

    private func candidates(jsonPath: String) -> [String] {
        let folder = DatasetPaths.directory(jsonPath)
        let parent = DatasetPaths.name(folder).lowercased() == "annotations" ? DatasetPaths.directory(folder) : nil
        var folders = [folder, ""]
        if let parent { folders.append(parent) }
        var stem = DatasetPaths.stem(jsonPath)
        for prefix in ["instances_", "person_keypoints_", "captions_", "image_info_", "panoptic_"]
        where stem.hasPrefix(prefix) {
            stem.removeFirst(prefix.count)
        }
        for base in [parent ?? folder, ""] {
            folders.append(DatasetPaths.join(base, stem))
            folders.append(DatasetPaths.join(base, "images/" + stem))
            folders.append(DatasetPaths.join(base, "images"))
        }
        var seen: Set<String> = []
        return folders.filter { seen.insert($0).inserted }
    }

    /// The file in the first candidate folder that has it; else the image of that name anywhere, the one
    /// sharing most of `fileName`'s folders (an absolute path from the exporting machine too).
    private func find(_ fileName: String, in folders: [String], near jsonFolder: String) -> String? {
        if !fileName.hasPrefix("/") {
            for folder in folders {
                let path = DatasetPaths.join(folder, fileName)
                if listing.contains(path) { return path }
            }
        }
        return images.find(fileName, near: jsonFolder)
    }

    /// The folder `path` adds in front of `fileName`, when it ends with it.
    private func prefix(of path: String, fileName: String) -> String? {
        let normalised = DatasetPaths.join("", fileName)
        if path == normalised { return "" }
        guard path.hasSuffix("/" + normalised) else { return nil }
        return String(path.dropLast(normalised.count + 1))
    }
}
