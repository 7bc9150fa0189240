import Foundation
import Testing
import Vision

@Suite("COCO reader")
struct COCOReaderTests {
    static let val = """
        {
        "info": {"year": 2017},
        "images": [
        {"id": 397133, "file_name": "a.jpg", "width": 640, "height": 427},
        {"id": 37777, "file_name": "b.jpg", "width": 352, "height": 230}
        ],
        "annotations": [
        {"id": 1, "image_id": 397133, "category_id": 1, "bbox": [10.5, 20, 30, 40.25], "area": 702.5, "iscrowd": 0,
         "segmentation": [[10, 20, 40, 20, 40, 60], [1, 1, 2, 2, 1, 2]]},
        {"id": 2, "image_id": 37777, "category_id": 2, "iscrowd": 1, "bbox": [0, 0, 2, 2],
         "segmentation": {"size": [3, 2], "counts": [1, 2, 3]}},
        {"id": 3, "image_id": 37777, "category_id": 1, "segmentation": {"size": [7, 2], "counts": "1:1H"}},
        {"id": 4, "image_id": 397133, "category_id": 2}
        ],
        "categories": [{"id": 1, "name": "person", "supercategory": "person"}, {"id": 2, "name": "bicycle"}]
        }
        """

    @Test("a COCO 2017 layout: images found in the split folder, splits from the file names")
    func cocoLayout() throws {
        try TemporaryDataset.with { data in
            try data.write("annotations/instances_val2017.json", Self.val)
            try data.write(
                "annotations/instances_train2017.json",
                """
                {"images": [{"id": 1, "file_name": "c.jpg", "width": 5, "height": 5}], "annotations": [],
                 "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"}]}
                """)
            try data.write(
                "annotations/captions_val2017.json",
                """
                {"images": [{"id": 397133, "file_name": "a.jpg", "width": 640, "height": 427}],
                 "annotations": [{"id": 9, "image_id": 397133, "caption": "A man."}]}
                """)
            try data.images("val2017/a.jpg", "val2017/b.jpg", "train2017/c.jpg")
            let dataset = try data.read()
            #expect(dataset.format == .coco)
            #expect(dataset.findings.isEmpty)
            #expect(
                dataset.annotationFiles == [
                    "annotations/instances_train2017.json", "annotations/instances_val2017.json",
                ])
            #expect(dataset.images.map(\.path) == ["train2017/c.jpg", "val2017/a.jpg", "val2017/b.jpg"])
            #expect(dataset.images.map(\.split) == ["train", "val", "val"])
            #expect(dataset.images[1].cocoID == 397133 && dataset.images[1].declaredWidth == 640)
            #expect(
                dataset.images[2].location
                    == SourceLocation(file: "annotations/instances_val2017.json", line: 5, column: 1, position: "images[1] (id 37777)"))
            #expect(dataset.categories == [Category(id: 1, name: "person"), Category(id: 2, name: "bicycle")])
            let annotations = dataset.annotations
            #expect(annotations.count == 4)
            #expect(annotations.map(\.image) == [1, 2, 2, 1])
            #expect(annotations[0].box == [10.5, 20, 30, 40.25] && annotations[0].area == 702.5)
            #expect(annotations[0].segmentation == .polygons([[10, 20, 40, 20, 40, 60], [1, 1, 2, 2, 1, 2]]))
            #expect(annotations[0].convention == .cocoPixels && annotations[0].cocoID == 1)
            #expect(annotations[0].location.description == "annotations/instances_val2017.json:8:1: annotations[0] (id 1)")
            #expect(annotations[1].isCrowd)
            #expect(
                annotations[1].segmentation
                    == .mask(RunLengthMask(height: 3, width: 2, counts: [1, 2, 3], wasCompressed: false)))
            #expect(annotations[2].box == nil)
            #expect(
                annotations[2].segmentation
                    == .mask(RunLengthMask(height: 7, width: 2, counts: [1, 10, 1, 2], wasCompressed: true)))
            #expect(annotations[3].box == nil && annotations[3].segmentation == nil && annotations[3].category == 2)
        }
    }

    @Test("a Roboflow layout: file names relative to the JSON's folder, the split from the folder")
    func roboflowLayout() throws {
        try TemporaryDataset.with { data in
            try data.write(
                "valid/_annotations.coco.json",
                """
                {"images": [{"id": 0, "file_name": "x.jpg", "width": 8, "height": 8},
                            {"id": 1, "file_name": "gone.jpg", "width": 8, "height": 8}],
                 "annotations": [{"id": 0, "image_id": 0, "category_id": 0, "bbox": [1, 1, 2, 2], "segmentation": []}],
                 "categories": [{"id": 0, "name": "thing"}]}
                """)
            try data.images("valid/x.jpg", "README.jpg")
            let dataset = try data.read(.coco)
            // The missing image is put beside the others.
            #expect(dataset.images.map(\.path) == ["valid/x.jpg", "valid/gone.jpg"])
            #expect(dataset.images.map(\.split) == ["val", "val"])
            #expect(dataset.annotations.first?.segmentation == nil)
        }
    }

    @Test("a syntax error is one finding at file:line with the column in the message")
    func syntaxError() throws {
        try TemporaryDataset.with { data in
            try data.write("annotations/instances.json", "{\n\"images\": [\n  {\"id\": 1}\n  {\"id\": 2}\n]}\n")
            let dataset = try data.read(.coco)
            #expect(dataset.findingItems == ["annotation.malformed annotations/instances.json:4"])
            #expect(
                dataset.findings.first?.message.hasPrefix(
                    "annotations/instances.json:4:3: expected ',' or ']' after an array element") == true)
            #expect(dataset.images.isEmpty)
        }
    }

    static let defects = """
        {
        "images": [
        {"id": 1, "file_name": "a.jpg", "width": 4, "height": 3},
        {"id": 1, "file_name": "b.jpg", "width": 4, "height": 3},
        {"id": "x", "file_name": "c.jpg", "width": 4.5, "height": 3},
        {"file_name": 7, "id": 9},
        {"id": 2, "file_name": "d.jpg"}
        ],
        "annotations": [
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3]},
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]},
        {"id": 3, "image_id": 42, "category_id": 1, "bbox": [0, 0, 1, 1]},
        {"id": 4, "image_id": 9, "category_id": 1},
        {"id": 5, "image_id": 1, "category_id": 1, "segmentation": 5},
        {"id": 6, "image_id": 1, "category_id": 1, "segmentation": {"size": [2, 2], "counts": "T"}},
        {"id": 7, "image_id": 1, "segmentation": [1, 2, 3, 4, 5, 6]},
        {"id": 8, "image_id": 1, "category_id": 99, "bbox": [-1, 0, 0, 5], "iscrowd": 2, "area": "big"},
        {"image_id": 2, "category_id": 1}
        ],
        "categories": [{"id": 1, "name": "cat"}, {"id": 1, "name": "dog"}, {"id": 2}]
        }
        """

    @Test("each defect is a finding with its check and file:line; what can be kept is kept")
    func defects() throws {
        try TemporaryDataset.with { data in
            try data.write("instances.json", Self.defects)
            let dataset = try data.read(.coco)
            let file = "instances.json"
            #expect(
                dataset.findingItems == [
                    "annotation.duplicate-id \(file):20:42: categories[1] (id 1)",
                    "annotation.malformed \(file):20:68: categories[2] (id 2)",
                    "annotation.duplicate-id \(file):4:1: images[1] (id 1)", "annotation.malformed \(file):5:8: images[2].id",
                    "annotation.malformed \(file):5:44: images[2].width",
                    "annotation.malformed \(file):6:15: images[3].file_name (id 9)",
                    "annotation.malformed \(file):7:1: images[4] (id 2)", "annotation.malformed \(file):7:1: images[4] (id 2)",
                    "annotation.malformed \(file):10:52: annotations[0].bbox (id 1)",
                    "annotation.duplicate-id \(file):11:1: annotations[1] (id 1)",
                    "annotation.unknown-image \(file):12:1: annotations[2] (id 3)",
                    "annotation.malformed \(file):14:60: annotations[4].segmentation (id 5)",
                    "annotation.malformed \(file):15:87: annotations[5] (id 6)",
                    "annotation.malformed \(file):16:1: annotations[6] (id 7)",
                    "annotation.malformed \(file):16:42: annotations[6].segmentation (id 7)",
                    "annotation.malformed \(file):17:90: annotations[7].area (id 8)",
                    "annotation.malformed \(file):17:79: annotations[7].iscrowd (id 8)",
                    "annotation.malformed \(file):18:1: annotations[8]",
                ])
            #expect(
                dataset.findings.filter { $0.severity == .warning }.map(\.item)
                    == ["\(file):7:1: images[4] (id 2)", "\(file):7:1: images[4] (id 2)"])
            #expect(dataset.findings[2].message.contains("already used by the image at \(file):3:1: images[0] (id 1)"))
            #expect(dataset.findings[3].message.contains("\"x\" for \"id\""))
            #expect(dataset.findings[10].message.contains("image_id 42"))
            #expect(dataset.images.map(\.path) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
            #expect(dataset.images.map(\.cocoID) == [1, 1, nil, 2])
            #expect(dataset.images[2].declaredWidth == nil && dataset.images[2].declaredHeight == 3)
            #expect(dataset.annotations.map { $0.location.line } == [10, 11, 14, 15, 16, 17, 18])
            let kept = dataset.annotations[5]
            #expect(kept.category == 99 && kept.box == [-1, 0, 0, 5] && !kept.isCrowd && kept.area == nil)
            #expect(dataset.annotations[4].category == nil && dataset.annotations[4].segmentation == nil)
            #expect(dataset.annotations[6].cocoID == nil && dataset.annotations[6].image == 3)
            #expect(dataset.categories == [Category(id: 1, name: "cat")])
        }
    }

    @Test("in a COCO file written on one line (as Datumaro and FiftyOne write it) findings name the entry, not line 1")
    func oneLine() throws {
        try TemporaryDataset.with { data in
            try data.write("instances.json", Self.defects.split(separator: "\n").joined())
            let dataset = try data.read(.coco)
            #expect(dataset.findingItems.count == 18)
            #expect(dataset.findingItems.contains("annotation.duplicate-id instances.json: annotations[1] (id 1)"))
            #expect(dataset.findingItems.contains("annotation.malformed instances.json: annotations[0].bbox (id 1)"))
            #expect(dataset.findingItems.contains("annotation.malformed instances.json: images[3].file_name (id 9)"))
            #expect(!dataset.findingItems.contains { $0.contains("instances.json:1") })
            #expect(dataset.findings[2].message.contains("already used by the image at instances.json: images[0] (id 1)"))
        }
    }

    @Test("split files that disagree on a category are reported; agreeing ones are merged")
    func categoriesAcrossFiles() throws {
        try TemporaryDataset.with { data in
            let head = "{\"images\": [], \"annotations\": [],\n\"categories\": "
            try data.write("train.json", head + "[{\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"dog\"}]}")
            try data.write("val.json", head + "[{\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"wolf\"}]}")
            let dataset = try data.read(.coco)
            #expect(dataset.categories.map(\.name) == ["cat", "dog"])
            #expect(dataset.findingItems == ["annotation.duplicate-id val.json:2:42: categories[1] (id 2)"])
        }
    }

    @Test("a top level that is not COCO's shape is a finding at the offending value's line")
    func structure() throws {
        try TemporaryDataset.with { data in
            try data.write("a.json", "{\"images\":\r\n 5}")
            try data.write("b.json", "{\"images\": [],\n\"annotations\": {},\n\"categories\": []}")
            try data.write(
                "c.json", "{\"images\": [\n  {\"id\": 1, \"file_name\": \"x.jpg\", \"width\": 1, \"height\": 1},\n  7]}"
            )
            let dataset = try data.read(.coco)
            #expect(
                dataset.findingItems == [
                    "annotation.malformed a.json:2:2", "annotation.malformed b.json:2:16",
                    "annotation.malformed c.json:3:3: images[1]",
                ])
            #expect(dataset.images.map(\.path) == ["x.jpg"])
        }
    }

    @Test("splits come from whole words of the file name, then of its folders")
    func splitNames() throws {
        try TemporaryDataset.with { data in
            let entry = "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\", \"width\": 1, \"height\": 1}]}"
            for file in [
                "trainval.json", "latest.json", "test/coco.json", "Training/val_2.json", "dev/instances_train.json",
            ] {
                try data.write(file, entry)
            }
            let dataset = try data.read(.coco)
            #expect(
                dataset.annotationFiles == [
                    "Training/val_2.json", "dev/instances_train.json", "latest.json", "test/coco.json", "trainval.json",
                ])
            #expect(dataset.images.map(\.split) == ["val", "train", nil, "test", nil])
        }
    }

    @Test("no COCO file under the root is an unknownFormat error")
    func noFile() throws {
        try TemporaryDataset.with { data in
            try data.write("package.json", "{\"name\": \"x\"}")
            #expect(throws: VisionError(.unknownFormat, "")) { try data.read(.coco) }
        }
    }
}
