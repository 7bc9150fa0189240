import Testing
import Vision

/// ImageNet-style class folders: the folder an image is in is its label, a split folder above it its split.
@Suite("Class folders reader")
struct ClassFoldersReaderTests {
    @Test("classes in byte order from 0, splits from the folders above, an image in a split folder unlabelled")
    func layout() throws {
        try TemporaryDataset.with { data in
            try data.images(
                "train/n01440764/a.JPEG", "train/n01443537/b.jpg", "train/n01443537/c.png", "val/n01440764/d.jpg",
                "val/e.jpg")
            let dataset = try data.read()
            #expect(dataset.format == .imagenet)
            #expect(dataset.categories == [Category(id: 0, name: "n01440764"), Category(id: 1, name: "n01443537")])
            #expect(dataset.images.map(\.split) == ["train", "train", "train", "val", "val"])
            #expect(dataset.annotations.map(\.category) == [0, 1, 1, 0])
            #expect(dataset.annotations.allSatisfy { $0.box == nil })
            #expect(dataset.annotationFiles.isEmpty && dataset.findings.isEmpty)
        }
    }

    @Test("images without class folders are not taken for a classification dataset")
    func notClassFolders() throws {
        try TemporaryDataset.with { data in
            try data.images("a.jpg", "b.jpg", "images/c.jpg")
            #expect(throws: VisionError(.unknownFormat, "")) { try data.read() }
        }
        try TemporaryDataset.with { data in
            try data.images("cats/a.jpg", "dogs/b.jpg")
            try data.write("labels/a.txt", "0 0.5 0.5 0.2 0.2\n")
            #expect(try data.read().format == .yolo)
        }
    }
}
