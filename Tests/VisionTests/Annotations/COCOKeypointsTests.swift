import Foundation
import Testing
import Vision

/// COCO keypoints: names and skeleton per category, x, y, visibility triples per annotation, checked against each
/// other and against the image and the box.
@Suite("COCO keypoints")
struct COCOKeypointsTests {
    static let json = """
        {
        "images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 80}],
        "categories": [
        {"id": 1, "name": "person", "keypoints": ["nose", "left_eye", "right_eye"], "skeleton": [[1, 2], [1, 3]]},
        {"id": 2, "name": "cat", "keypoints": ["nose"], "skeleton": [[1, 4]]}
        ],
        "annotations": [
        {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "keypoints": [20, 20, 2, 25, 18, 1, 0, 0, 0], "num_keypoints": 2},
        {"id": 2, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "keypoints": [20, 20, 2, 25, 18, 2]},
        {"id": 3, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "keypoints": [20, 20, 2, 25, 18, 3, 1, 1, 1]},
        {"id": 4, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "keypoints": [20, 20, 2, 0, 0, 0, 0, 0, 0], "num_keypoints": 3}
        ]
        }
        """

    @Test("names and triples are read; a wrong count, visibility, num_keypoints or skeleton is a finding")
    func reading() throws {
        try TemporaryDataset.with { data in
            try data.images("a.jpg")
            try data.write("instances.json", Self.json)
            let dataset = try data.read(.coco)
            #expect(dataset.categories.first?.keypoints == ["nose", "left_eye", "right_eye"])
            #expect(dataset.annotations[0].keypoints == [20, 20, 2, 25, 18, 1, 0, 0, 0])
            #expect(dataset.annotations[1].keypoints == nil && dataset.annotations[2].keypoints == nil)
            let messages = dataset.findings.map(\.message)
            #expect(messages.contains { $0.contains("\"skeleton\" must be pairs") && $0.contains("from 1 to 1") })
            #expect(messages.contains { $0.contains("annotation 2 has 2 keypoints but its category names 3") })
            #expect(messages.contains { $0.contains("annotation 3 has a keypoint visibility of 3") })
            #expect(messages.contains { $0.contains("annotation 4's num_keypoints is 3 but 1 of its keypoints are labelled") })
            #expect(dataset.findings.count == 4)
        }
    }

    @Test("a labelled keypoint outside the image or the box is flagged; hidden and unlabelled ones are not")
    func outside() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await DatasetGenerator(format: .coco, imageCount: 16).generatedOffThePool(into: directory.path)
        let path = directory.path + "/annotations/instances_train.json"
        var json = try String(contentsOfFile: path, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"name\": \"person\"", with: "\"name\": \"person\", \"keypoints\": [\"nose\", \"tail\"]")
        // Every annotation gets two keypoints at its box's corner, labelled; the first also one far outside.
        var first = true
        while let range = json.range(of: #""bbox": \[([0-9.]+), ([0-9.]+)"#, options: .regularExpression), json[range].contains("bbox") {
            let numbers = json[range].split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
            let extra = first ? "[\(numbers[0]), \(numbers[1]), 2, 5000, 10, 2]" : "[\(numbers[0]), \(numbers[1]), 2, 0, 0, 0]"
            json.replaceSubrange(range, with: "\"kp_bbox\": [\(numbers[0]), \(numbers[1])], \"keypoints\": \(extra), \"bbox\"X: [\(numbers[0]), \(numbers[1])")
            first = false
        }
        json = json.replacingOccurrences(of: "\"bbox\"X:", with: "\"bbox\":")
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        let flagged = report.findings.filter { $0.check == .keypointOutside }
        #expect(flagged.count == 1, "\(GeneratedDatasetTests.summary(report))")
        #expect(flagged.first?.message.contains("outside the 320×240 image") == true)
    }
}
