import Vision

extension FuzzTarget {
    /// A COCO instances file beside two images it may name.
    static let coco = FuzzTarget(name: "coco", summary: "a COCO instances JSON file") { input in
        readAnnotations(.coco, files: ["annotations/instances_train.json": input])
    }

    /// A YOLO dataset: `data.yaml`, then a NUL byte, then the label file of `images/train/0001.png`.
    static let yolo = FuzzTarget(name: "yolo", summary: "data.yaml, a NUL byte, then a YOLO label file") { input in
        let (yaml, label) = input.split(at: 0)
        var files = ["labels/train/0001.txt": label ?? yaml]
        if label != nil { files["data.yaml"] = yaml }
        return readAnnotations(.yolo, files: files)
    }

    /// A Pascal VOC annotation file of `JPEGImages/0001.jpg`.
    static let voc = FuzzTarget(name: "voc", summary: "a Pascal VOC XML annotation file") { input in
        readAnnotations(.voc, files: ["Annotations/0001.xml": input])
    }

    /// Reads a dataset made of `files` and two image files (their bytes are not read by the annotation readers),
    /// and checks that every finding points at a line the file has.
    private static func readAnnotations(_ format: AnnotationFormat, files: [String: [UInt8]]) -> Outcome {
        let folder = ScratchFolder.fresh(format.rawValue)
        for (path, bytes) in files { folder.write(path, bytes) }
        let images = format == .voc ? ["JPEGImages/0001.jpg", "JPEGImages/0002.jpg"] : ["images/train/0001.png", "images/train/0002.jpg"]
        for image in images { folder.write(image, []) }
        let dataset: AnnotatedDataset
        do {
            dataset = try AnnotationReader.read(root: folder.path, format: format)
        } catch {
            return .refused
        }
        for finding in dataset.findings {
            require(!finding.message.isEmpty, "a finding without a message at \(finding.item)")
            guard let colon = finding.item.lastIndex(of: ":"), let line = Int(finding.item[finding.item.index(after: colon)...]),
                  let bytes = files[String(finding.item[..<colon])]
            else { continue }
            let lines = bytes.count { $0 == UInt8(ascii: "\n") } + 1
            require(line >= 1 && line <= lines + 1, "\(finding.item) is past the file's \(lines) lines")
        }
        return dataset.findings.isEmpty ? .accepted : .refused
    }
}
