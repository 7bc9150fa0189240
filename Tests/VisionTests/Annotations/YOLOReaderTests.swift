import Foundation
import Testing
import Vision

@Suite("YOLO reader")
struct YOLOReaderTests {
    @Test("the Ultralytics layout: labels beside images/ in labels/, splits from the folders")
    func ultralytics() throws {
        try TemporaryDataset.with { data in
            try data.write(
                "data.yaml",
                "path: ../datasets/x  # root\ntrain: images/train\nval: images/val\nnames: [cat, 'hot dog']\n")
            try data.images("images/train/a.jpg", "images/train/b.PNG", "images/val/c.jpeg", "images/.cache/d.jpg")
            try data.write("labels/train/a.txt", "0 0.5 0.5 0.25 0.125\n\n1 0.1 0.2 0.3 0.4\n")
            try data.write("labels/val/c.txt", "")
            try data.write("labels/train/orphan.txt", "0 0.5 0.5 0.1 0.1\n")
            let dataset = try data.read()
            #expect(dataset.format == .yolo)
            #expect(dataset.categories == [Category(id: 0, name: "cat"), Category(id: 1, name: "hot dog")])
            #expect(dataset.images.map(\.path) == ["images/train/a.jpg", "images/train/b.PNG", "images/val/c.jpeg"])
            #expect(dataset.images.map(\.split) == ["train", "train", "val"])
            #expect(
                dataset.images.map(\.location) == [
                    SourceLocation(file: "labels/train/a.txt"), nil, SourceLocation(file: "labels/val/c.txt"),
                ])
            #expect(dataset.annotations.map(\.box) == [[0.5, 0.5, 0.25, 0.125], [0.1, 0.2, 0.3, 0.4]])
            #expect(dataset.annotations.map(\.category) == [0, 1])
            #expect(
                dataset.annotations.map(\.location.description) == ["labels/train/a.txt:1", "labels/train/a.txt:3"])
            #expect(dataset.annotations.allSatisfy { $0.convention == .yoloNormalised && $0.image == 0 })
            #expect(dataset.findingItems == ["annotation.orphan-file labels/train/orphan.txt"])
            #expect(
                dataset.annotationFiles == [
                    "data.yaml", "labels/train/a.txt", "labels/train/orphan.txt", "labels/val/c.txt",
                ])
        }
    }

    @Test("labels beside their images, classes from classes.txt; a stray .txt there is an orphan")
    func besideImages() throws {
        try TemporaryDataset.with { data in
            try data.write("classes.txt", "cat\r\ndog\r\n\r\n")
            try data.images("pics/x.jpg", "pics/y.jpg")
            try data.write("pics/x.txt", "1 0.5 0.5 0.5 0.5\r\n")
            try data.write("pics/z.txt", "0 0.5 0.5 0.5 0.5\n")
            try data.write("notes/todo.txt", "not labels\n")
            let dataset = try data.read(.yolo)
            #expect(dataset.categories.map(\.name) == ["cat", "dog"])
            #expect(dataset.images.map(\.path) == ["pics/x.jpg", "pics/y.jpg"])
            #expect(dataset.annotations.count == 1 && dataset.annotations.first?.category == 1)
            #expect(dataset.findingItems == ["annotation.orphan-file pics/z.txt"])
        }
    }

    @Test("bad lines are findings at file:line; numbers are kept as written")
    func badLines() throws {
        try TemporaryDataset.with { data in
            try data.write("classes.txt", "a\nb\n")
            try data.images("images/x.jpg")
            try data.write(
                "labels/x.txt",
                """
                0 0.5 0.5 0.2
                0 0.5 0.5 0.2 0.2 0.9
                0 0.5 abc 0.2 0.2
                -1 0.5 0.5 0.2 0.2
                1.5 0.5 0.5 0.2 0.2
                cat 0.5 0.5 0.2 0.2
                1 320 240 64 48
                0 0.1 0.2 0.5 0.2 0.3 0.6
                0 0x1p3 0.5 0.2 0.2
                1.0 1e-1 .5 2E0 -0
                """)
            let dataset = try data.read(.yolo)
            #expect(
                dataset.findingItems == (1...6).map { "annotation.malformed labels/x.txt:\($0)" }
                    + ["annotation.malformed labels/x.txt:9"])
            #expect(dataset.findings[1].message.contains("6 fields"))
            #expect(dataset.annotations.map(\.location.line) == [7, 8, 10])
            #expect(dataset.annotations[0].box == [320, 240, 64, 48])
            let polygonBox = try #require(dataset.annotations[1].box)
            #expect(zip(polygonBox, [0.3, 0.4, 0.4, 0.4]).allSatisfy { abs($0 - $1) < 1e-12 })
            #expect(dataset.annotations[2].category == 1 && dataset.annotations[2].box == [0.1, 0.5, 2, 0])
        }
    }

    @Test("data.yaml names as a block list, a block mapping and a flow mapping")
    func yamlForms() throws {
        let forms = [
            "names:\n  - person   # people\n  - \"a, b # c\"\n  - 'it''s'\n",
            "names:\n- person\n- \"a, b # c\"\n- 'it''s'\nnc: 3\n",
            "nc: 3\nnames:\n  0: person\n  1: \"a, b # c\"\n  2: 'it''s'\n",
            "names: {0: person, 1: \"a, b # c\",\n  2: 'it''s'}\n",
            "download: |\n  import x\n  names: [wrong]\nroboflow:\n  workspace: w\n"
                + "names: [person, \"a, b # c\", 'it''s']\n",
        ]
        for form in forms {
            try TemporaryDataset.with { data in
                try data.write("data.yaml", form)
                try data.write("labels/x.txt", "2 0.5 0.5 0.1 0.1\n")
                try data.images("images/x.jpg")
                let dataset = try data.read(.yolo)
                #expect(dataset.findings.isEmpty, "\(form)")
                #expect(dataset.categories.map(\.name) == ["person", "a, b # c", "it's"], "\(form)")
            }
        }
    }

    @Test("what the YAML reader cannot understand is a finding at data.yaml:line")
    func yamlProblems() throws {
        let cases: [(String, [String])] = [
            ("names: [a, b]\nnc: 3\n", ["data.yaml:2"]),
            ("names:\n  0: a\n  2: b\n", ["data.yaml:1"]),
            ("names:\n  0: a\n  0: b\n", ["data.yaml:3"]),
            ("names: [a, [b]]\n", ["data.yaml:1"]),
            ("names: [a, b\n", ["data.yaml:1"]),
            ("names: person\n", ["data.yaml:1"]),
            ("this is not yaml\nnames: [a]\n", ["data.yaml:1"]),
            ("names:\n  - a\n  - 'b\n", ["data.yaml:3"]),
            ("names:\n  x: a\n", ["data.yaml:2"]),
            ("nc: two\nnames: [a]\n", ["data.yaml:1"]),
        ]
        for (text, items) in cases {
            try TemporaryDataset.with { data in
                try data.write("data.yaml", text)
                try data.images("images/x.jpg")
                let dataset = try data.read(.yolo)
                #expect(dataset.findings.map(\.item) == items, "\(text)")
                #expect(dataset.findings.allSatisfy { $0.check == .malformedAnnotation })
            }
        }
    }

    @Test("no labels, data.yaml or classes.txt is an unknownFormat error")
    func noLabels() throws {
        try TemporaryDataset.with { data in
            try data.images("images/x.jpg")
            #expect(throws: VisionError(.unknownFormat, "")) { try data.read(.yolo) }
        }
    }
}
