/// Writes an ``AnnotatedDataset``'s annotations as YOLO labels: for each image a `.txt` at
/// ``labelPath(forImage:)`` with a line `class n1 n2 …` per annotation with a box, and `data.yaml` with the class
/// names. Image files are not written.
///
/// Numbers are written as given (pixel coordinates, values beyond 1, boxes of the wrong length), so defective
/// labels can be made; an annotation without a category is written without its class column; annotations without
/// a box (image-level labels) cannot be written in YOLO and are left out. Images without annotations get an empty
/// label file.
public enum YOLOWriter {
    /// Writes the files under `directory` (the dataset root) and returns their paths relative to it, sorted.
    @discardableResult
    public static func write(_ dataset: AnnotatedDataset, to directory: String) throws(VisionError) -> [String] {
        var lines: [[String]] = Array(repeating: [], count: dataset.images.count)
        for annotation in dataset.annotations where dataset.images.indices.contains(annotation.image) {
            guard let box = annotation.box else { continue }
            let fields = (annotation.category.map { [String($0)] } ?? []) + box.map(AnnotationText.number)
            lines[annotation.image].append(fields.joined(separator: " "))
        }
        var written: [String] = []
        for (index, image) in dataset.images.enumerated() {
            let text = lines[index].map { $0 + "\n" }.joined()
            written.append(try AnnotationText.write(text, to: labelPath(forImage: image.path), in: directory))
        }
        written.append(try AnnotationText.write(dataYAML(dataset), to: "data.yaml", in: directory))
        return Array(Set(written)).sorted(by: DatasetPaths.utf8Order)
    }

    /// Where an image's labels go: `images/…/x.jpg` → `labels/…/x.txt` (the last `images` folder replaced, as
    /// Ultralytics looks for them), any other image → `x.txt` beside it.
    public static func labelPath(forImage image: String) -> String {
        YOLOLayout.labelCandidates(forImage: image)[0]
    }

    /// `data.yaml`: the split folders when each split's images share one, and `names` as an `id: "name"` mapping.
    static func dataYAML(_ dataset: AnnotatedDataset) -> String {
        var text = "# YOLO dataset written by Lightbox\npath: .\n"
        var folders: [String: Set<String>] = [:]
        for image in dataset.images {
            if let split = image.split { folders[split, default: []].insert(DatasetPaths.directory(image.path)) }
        }
        for split in ["train", "val", "test"] {
            if let set = folders[split], set.count == 1, let folder = set.first {
                text += "\(split): \(AnnotationText.yamlString(folder.isEmpty ? "." : folder))\n"
            }
        }
        let categories = dataset.categories.sorted { $0.id < $1.id }
        text += "nc: \(categories.count)\n"
        text += categories.isEmpty ? "names: []\n" : "names:\n"
        for category in categories {
            text += "  \(category.id): \(AnnotationText.yamlString(category.name))\n"
        }
        return text
    }
}
