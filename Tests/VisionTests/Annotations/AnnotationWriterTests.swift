import Foundation
import Testing
import Vision

/// Write, then read back: what the writers write is what the readers read, defects included.
@Suite("Annotation writers round trip")
struct AnnotationWriterTests {
    /// What survives a round trip, keyed by image path so that file order does not matter.
    struct Labelled: Equatable {
        var image: String
        var category: Int?
        var box: [Double]?
        var segmentation: Segmentation?
        var area: Double?
        var isCrowd: Bool
    }

    static func labelled(_ dataset: AnnotatedDataset) -> [Labelled] {
        dataset.annotations.map { annotation in
            Labelled(
                image: dataset.images[annotation.image].path, category: annotation.category, box: annotation.box,
                segmentation: annotation.segmentation, area: annotation.area, isCrowd: annotation.isCrowd)
        }.sorted { ($0.image, $0.box?.first ?? -1) < ($1.image, $1.box?.first ?? -1) }
    }

    @Test("COCO: one file per split, masks compressed or not, defects kept")
    func coco() throws {
        let wrongSize = RunLengthMask(height: 4, width: 4, counts: [3, 5, 2], wasCompressed: true)
        let plain = RunLengthMask(height: 2, width: 3, counts: [1, 2, 3], wasCompressed: false)
        let dataset = AnnotatedDataset(
            format: .coco, categories: [Category(id: 1, name: "person \"p\""), Category(id: 2, name: "car")],
            images: [
                ImageEntry(
                    path: "images/train/a.jpg", split: "train", declaredWidth: 64, declaredHeight: 48, cocoID: 10),
                ImageEntry(path: "images/train/b.jpg", split: "train", declaredWidth: 8, declaredHeight: 8),
                ImageEntry(path: "images/val/c.jpg", split: "val", declaredWidth: 32, declaredHeight: 32, cocoID: 3),
                ImageEntry(path: "d.jpg", declaredWidth: 4, declaredHeight: 4, cocoID: 7),
            ],
            annotations: [
                Annotation(
                    image: 0, category: 1, box: [1.5, 2, 10, 20], convention: .cocoPixels,
                    segmentation: .polygons([[1.5, 2, 11.5, 2, 11.5, 22]]), area: 100.25, location: .init(file: "")),
                Annotation(
                    image: 0, category: 2, box: [0, 0, 4, 4], convention: .cocoPixels,
                    segmentation: .mask(wrongSize), isCrowd: true, location: .init(file: "")),
                Annotation(
                    image: 1, category: 2, box: nil, convention: .cocoPixels, segmentation: .mask(plain),
                    location: .init(file: "")),
                Annotation(image: 2, category: 2, box: nil, convention: .cocoPixels, location: .init(file: "")),
                Annotation(
                    image: 2, category: 1, box: [5, 5, -3, 0], convention: .cocoPixels,
                    segmentation: .polygons([[1, 1, 2, 2]]), location: .init(file: "")),
                Annotation(
                    image: 3, category: nil, box: [1, 1, 1, 1], convention: .cocoPixels, location: .init(file: "")),
            ])
        try TemporaryDataset.with { data in
            let files = try COCOWriter.write(dataset, to: data.root)
            #expect(
                files == [
                    "annotations/instances.json", "annotations/instances_train.json", "annotations/instances_val.json",
                ])
            #expect(try data.text("annotations/instances_train.json").contains("\"counts\": \"352\""))
            let read = try data.read()
            #expect(Self.labelled(read) == Self.labelled(dataset))
            #expect(read.categories == dataset.categories)
            let byPath = Dictionary(uniqueKeysWithValues: read.images.map { ($0.path, $0) })
            for image in dataset.images {
                #expect(byPath[image.path]?.split == image.split)
                #expect(byPath[image.path]?.declaredWidth == image.declaredWidth)
            }
            #expect(byPath["images/train/b.jpg"]?.cocoID == 11)  // the next free id
            #expect(
                read.findingItems == [
                    "annotation.malformed annotations/instances.json:6:1: annotations[0] (id 6)",  // no category_id
                    // runs of 10 pixels in a 4 × 4 mask
                    "annotation.malformed annotations/instances_train.json:8:110: annotations[1] (id 2)",
                ])
            let val = read.annotations.filter { $0.location.file == "annotations/instances_val.json" }
            #expect(val.map(\.location.line) == [6, 7])
        }
    }

    @Test("YOLO: labels/<split>/ beside images/<split>/, data.yaml names, pixel boxes kept")
    func yolo() throws {
        #expect(YOLOWriter.labelPath(forImage: "images/train/a.jpg") == "labels/train/a.txt")
        #expect(YOLOWriter.labelPath(forImage: "set/images/x.y.png") == "set/labels/x.y.txt")
        #expect(YOLOWriter.labelPath(forImage: "c.jpg") == "c.txt")
        let dataset = AnnotatedDataset(
            format: .yolo,
            categories: [
                Category(id: 0, name: "cat"), Category(id: 1, name: "dog: big # 1"), Category(id: 2, name: "q\"s"),
            ],
            images: [
                ImageEntry(path: "images/train/a.jpg", split: "train"),
                ImageEntry(path: "images/val/b.jpg", split: "val"),
                ImageEntry(path: "c.jpg"),
            ],
            annotations: [
                Annotation(
                    image: 0, category: 0, box: [0.5, 0.5, 0.2, 0.125], convention: .yoloNormalised,
                    location: .init(file: "")),
                Annotation(
                    image: 0, category: 1, box: [320, 240, 64, 48], convention: .yoloNormalised,
                    location: .init(file: "")),
                Annotation(
                    image: 1, category: 2, box: [0.1, 0.9, 1e-05, 1], convention: .yoloNormalised,
                    location: .init(file: "")),
            ])
        try TemporaryDataset.with { data in
            try data.images("images/train/a.jpg", "images/val/b.jpg", "c.jpg")
            let files = try YOLOWriter.write(dataset, to: data.root)
            #expect(files == ["c.txt", "data.yaml", "labels/train/a.txt", "labels/val/b.txt"])
            #expect(try data.text("labels/train/a.txt") == "0 0.5 0.5 0.2 0.125\n1 320 240 64 48\n")
            #expect(try data.text("data.yaml").contains("train: \"images/train\"\n"))
            let read = try data.read()
            #expect(read.format == .yolo && read.findings.isEmpty)
            #expect(read.categories == dataset.categories)
            #expect(read.images.map(\.path) == ["c.jpg", "images/train/a.jpg", "images/val/b.jpg"])
            #expect(read.images.map(\.split) == [nil, "train", "val"])
            #expect(Self.labelled(read) == Self.labelled(dataset))
        }
    }

    @Test("VOC: Annotations/, ImageSets/Main/, labels.txt; 0-based and fractional boxes kept")
    func voc() throws {
        let dataset = AnnotatedDataset(
            format: .voc, categories: [Category(id: 0, name: "person"), Category(id: 1, name: "R&D <bot>")],
            images: [
                ImageEntry(path: "JPEGImages/a.jpg", split: "train", declaredWidth: 500, declaredHeight: 375),
                ImageEntry(path: "JPEGImages/b.png", split: "val"),
            ],
            annotations: [
                Annotation(
                    image: 0, category: 0, box: [1, 2, 3, 4], convention: .vocOneBased, location: .init(file: "")),
                Annotation(
                    image: 0, category: 0, box: [0, 0, 10.5, 20], convention: .vocOneBased, location: .init(file: "")),
                Annotation(
                    image: 1, category: 1, box: [5, 6, 7, 8], convention: .vocOneBased, location: .init(file: "")),
            ])
        try TemporaryDataset.with { data in
            try data.images("JPEGImages/a.jpg", "JPEGImages/b.png")
            let files = try VOCWriter.write(dataset, to: data.root)
            #expect(
                files == [
                    "Annotations/a.xml", "Annotations/b.xml", "ImageSets/Main/train.txt", "ImageSets/Main/val.txt",
                    "labels.txt",
                ])
            let read = try data.read()
            #expect(read.format == .voc)
            #expect(read.categories == dataset.categories)
            #expect(read.images.map(\.path) == ["JPEGImages/a.jpg", "JPEGImages/b.png"])
            #expect(read.images.map(\.split) == ["train", "val"])
            #expect(read.images[0].declaredWidth == 500 && read.images[0].declaredHeight == 375)
            #expect(Self.labelled(read) == Self.labelled(dataset))
            #expect(read.findingItems == ["annotation.malformed Annotations/b.xml:1"])  // no <size>: a warning
            #expect(read.findings.first?.severity == .warning)
        }
        let clash = AnnotatedDataset(format: .voc, images: [ImageEntry(path: "a/x.jpg"), ImageEntry(path: "b/x.jpg")])
        try TemporaryDataset.with { data in
            #expect(throws: VisionError(.invalidArgument, "")) { try VOCWriter.write(clash, to: data.root) }
        }
    }
}
