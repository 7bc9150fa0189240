import Foundation
import Testing
import Vision

/// Attribute checks over COCO `attributes`, CVAT `<attribute>`s against their labels' declarations, and VOC's flags
/// and pose, each defect planted in a small dataset and found where it was planted (and nothing where none was).
@Suite("Attribute checks")
struct AttributeChecksTests {
    /// The attribute (and single-label) findings of a whole check, as "check item" lines.
    static func attributeFindings(_ data: TemporaryDataset) async throws -> [String] {
        let report = try await DatasetChecker(concurrency: 1).check(root: data.root).report
        return report.findings.filter { $0.check.rawValue.hasPrefix("attributes.") || $0.check == .singleLabel }
            .map { "\($0.check.rawValue) \($0.item)" }.sorted()
    }

    /// A COCO file on one line per annotation, so that findings name their annotation by its place.
    static func coco(_ annotations: [(category: Int, attributes: String?)], categories: [String]) -> String {
        let images = annotations.indices.map { #"{"id": \#($0 + 1), "file_name": "\#($0).jpg", "width": 64, "height": 48}"# }
        let entries = annotations.enumerated().map { index, annotation in
            let attributes = annotation.attributes.map { #", "attributes": \#($0)"# } ?? ""
            return #"{"id": \#(index + 1), "image_id": \#(index + 1), "category_id": \#(annotation.category), "bbox": [1, 1, 20, 20]\#(attributes)}"#
        }
        let names = categories.enumerated().map { #"{"id": \#($0.offset + 1), "name": "\#($0.element)"}"# }
        return "{\"images\": [\n" + images.joined(separator: ",\n") + "],\n\"annotations\": [\n"
            + entries.joined(separator: ",\n") + "],\n\"categories\": [" + names.joined(separator: ", ") + "]}\n"
    }

    @Test("COCO: a missing attribute, one value only, a rare value and imbalanced values; ids and free text pass")
    func coco() async throws {
        let data = try TemporaryDataset()
        defer { data.remove() }
        var annotations: [(category: Int, attributes: String?)] = []
        // car: "occluded" on 11 of 12 (the 6th lacks it); "colour" always red; "track_id" an id, never categorical.
        for index in 0..<12 {
            let occluded = index == 5 ? "" : #""occluded": \#(index % 2 == 0), "#
            annotations.append((1, #"{\#(occluded)"colour": "red", "track_id": \#(index)}"#))
        }
        // person: "pose" standing 10 times, sitting twice.
        for index in 0..<12 { annotations.append((2, #"{"pose": "\#(index < 10 ? "standing" : "sitting")"}"#)) }
        // tree: "size" big 250 times, small 5 times: imbalanced, but neither value rare.
        for index in 0..<255 { annotations.append((3, #"{"size": "\#(index < 250 ? "big" : "small")"}"#)) }
        // bus: balanced, and without attributes on a few: under half carry none, so none is missing.
        for index in 0..<12 { annotations.append((4, index < 5 ? #"{"parked": \#(index % 2 == 0)}"# : nil)) }
        try data.write("annotations/instances_train.json", Self.coco(annotations, categories: ["car", "person", "tree", "bus"]))
        try data.images(annotations.indices.map { "annotations/\($0).jpg" })
        let findings = try await Self.attributeFindings(data)
        #expect(
            findings == [
                "attributes.few-samples dataset",
                "attributes.imbalance dataset",
                "attributes.missing annotations/instances_train.json:299:1: annotations[5] (id 6)",
                "attributes.single-value dataset",
            ], "\(findings)")
        let report = try await DatasetChecker(concurrency: 1).check(root: data.root).report
        let rare = try #require(report.findings.first { $0.check == .fewAttributeSamples })
        #expect(rare.details["value"] == .string("sitting") && rare.details["count"] == .int(2))
        let single = try #require(report.findings.first { $0.check == .singleAttributeValue })
        #expect(single.details["attribute"] == .string("colour"))
        let missing = try #require(report.findings.first { $0.check == .missingAttribute })
        #expect(missing.message.contains("\"occluded\"") && missing.message.contains("11 of the 12"))
    }

    @Test("COCO: an attribute that is a list or an object is left out and reported")
    func cocoNonScalar() throws {
        try TemporaryDataset.with { data in
            try data.write(
                "annotations/instances_val.json",
                Self.coco([(1, #"{"tags": ["a", "b"], "occluded": 1}"#)], categories: ["car"]))
            try data.images("annotations/0.jpg")
            let dataset = try data.read()
            #expect(dataset.annotations[0].attributes == ["occluded": "1"])
            #expect(dataset.findings.map(\.severity) == [.warning])
            #expect(dataset.findings.first?.message.contains("attribute \"tags\" is an array") == true)
        }
    }

    static let cvat = """
        <?xml version="1.0" encoding="utf-8"?>
        <annotations>
          <version>1.1</version>
          <meta><task><labels>
            <label><name>car</name><attributes>
              <attribute><name>parked</name><input_type>checkbox</input_type><values>false</values></attribute>
              <attribute><name>colour</name><input_type>select</input_type><values>red
        blue
        green</values></attribute>
              <attribute><name>speed</name><input_type>number</input_type><values>0
        200
        1</values></attribute>
              <attribute><name>model</name><input_type>text</input_type><values></values></attribute>
            </attributes></label>
            <label><name>truck</name><attributes>
              <attribute><name>cargo</name><input_type>radio</input_type><values>empty
        full</values></attribute>
            </attributes></label>
            <label><name>person</name><attributes></attributes></label>
          </labels></task></meta>
          <image id="0" name="a.jpg" width="64" height="48">
            <box label="car" occluded="0" xtl="1" ytl="1" xbr="20" ybr="20">
              <attribute name="parked">true</attribute><attribute name="colour">red</attribute>
              <attribute name="speed">50</attribute><attribute name="model">van</attribute>
            </box>
            <box label="car" occluded="0" xtl="30" ytl="1" xbr="50" ybr="20">
              <attribute name="colour">purple</attribute><attribute name="speed">300</attribute>
              <attribute name="model">?</attribute>
            </box>
          </image>
          <image id="1" name="b.jpg" width="64" height="48">
            <box label="car" occluded="0" xtl="1" ytl="1" xbr="20" ybr="20">
              <attribute name="parked">false</attribute><attribute name="colour">blue</attribute>
              <attribute name="speed">0</attribute><attribute name="model"></attribute>
              <attribute name="weather">rain</attribute>
            </box>
            <box label="truck" occluded="0" xtl="30" ytl="1" xbr="50" ybr="20"></box>
            <tag label="person"><attribute name="age">40</attribute></tag>
          </image>
        </annotations>
        """

    @Test("CVAT: values against the label's declaration, attributes it lacks or never uses, undeclared ones")
    func cvat() async throws {
        let data = try TemporaryDataset()
        defer { data.remove() }
        try data.write("annotations.xml", Self.cvat)
        try data.images("images/a.jpg", "images/b.jpg")
        let dataset = try data.read()
        let car = try #require(dataset.categories.first { $0.name == "car" })
        #expect(car.attributes?.map(\.name) == ["parked", "colour", "speed", "model"])
        #expect(car.attributes?[1].values == .oneOf(["red", "blue", "green"]))
        #expect(car.attributes?[2].values == .range(minimum: 0, maximum: 200))
        #expect(dataset.annotations[1].attributes == ["colour": "purple", "speed": "300", "model": "?"])
        let findings = try await Self.attributeFindings(data)
        #expect(
            findings == [
                "attributes.invalid-value annotations.xml:26",
                "attributes.invalid-value annotations.xml:26",
                "attributes.missing annotations.xml:26",
                "attributes.undefined annotations.xml:32",
                "attributes.undefined annotations.xml:38",
                "attributes.unused dataset",
            ], "\(findings)")
        let report = try await DatasetChecker(concurrency: 1).check(root: data.root).report
        let invalid = report.findings.filter { $0.check == .invalidAttributeValue }.map(\.message)
        #expect(invalid.contains { $0.contains("\"purple\"") && $0.contains("\"red\", \"blue\", \"green\"") })
        #expect(invalid.contains { $0.contains("\"300\"") && $0.contains("a number from 0 to 200") })
        let unused = try #require(report.findings.first { $0.check == .unusedAttribute })
        #expect(unused.details["attribute"] == .string("cargo"))
    }

    static func vocObject(_ fields: String) -> String {
        "<object><name>dog</name>\(fields)<bndbox><xmin>2</xmin><ymin>2</ymin><xmax>20</xmax><ymax>20</ymax></bndbox></object>"
    }

    @Test("VOC: flags and poses must be VOC's values, and written on every object if on most")
    func voc() async throws {
        let data = try TemporaryDataset()
        defer { data.remove() }
        let objects = [
            Self.vocObject("<pose>Left</pose><truncated>0</truncated><difficult>0</difficult>"),
            Self.vocObject("<pose>Sideways</pose><truncated>1</truncated><difficult>yes</difficult>"),
            Self.vocObject("<pose>Unspecified</pose><difficult>0</difficult>"
                + "<attributes><attribute><name>breed</name><value>corgi</value></attribute></attributes>"),
            Self.vocObject("<pose></pose><truncated>0</truncated><difficult>1</difficult>"),
        ]
        for (index, object) in objects.enumerated() {
            try data.write(
                "Annotations/\(index).xml",
                "<annotation><filename>\(index).jpg</filename><size><width>64</width><height>48</height></size>\n"
                    + object + "\n</annotation>\n")
        }
        try data.images((0..<4).map { "JPEGImages/\($0).jpg" })
        let dataset = try data.read()
        #expect(dataset.annotations[2].attributes == ["pose": "Unspecified", "difficult": "0", "breed": "corgi"])
        #expect(dataset.annotations[3].attributes == ["truncated": "0", "difficult": "1"])
        let findings = try await Self.attributeFindings(data)
        #expect(
            findings == [
                "attributes.invalid-value Annotations/1.xml:2",
                "attributes.invalid-value Annotations/1.xml:2",
                "attributes.missing Annotations/2.xml:2",
                "attributes.missing Annotations/3.xml:2",
                "labels.single-label dataset",
            ], "\(findings)")
    }

    @Test("one label on every image is a warning for classification and information for detection")
    func singleLabel() async throws {
        let folders = try TemporaryDataset()
        defer { folders.remove() }
        try folders.images("train/cat/a.jpg", "train/cat/b.jpg")
        let classification = try await DatasetChecker(format: .imagenet, concurrency: 1).check(root: folders.root).report
        let warning = try #require(classification.findings.first { $0.check == .singleLabel })
        #expect(warning.severity == .warning && warning.message.contains("\"cat\""))

        let boxes = try TemporaryDataset()
        defer { boxes.remove() }
        try boxes.write("annotations/instances_train.json", Self.coco([(1, nil), (1, nil), (2, nil)], categories: ["car", "bus"]))
        try boxes.images("annotations/0.jpg", "annotations/1.jpg", "annotations/2.jpg")
        #expect(try await Self.attributeFindings(boxes).isEmpty)
        try boxes.write("annotations/instances_train.json", Self.coco([(1, nil), (1, nil)], categories: ["car"]))
        let detection = try await DatasetChecker(concurrency: 1).check(root: boxes.root).report
        #expect(detection.findings.first { $0.check == .singleLabel }?.severity == .info)
    }
}

extension TemporaryDataset {
    func images(_ paths: [String]) throws {
        for path in paths { try write(path, bytes: [0xFF, 0xD8, 0xFF]) }
    }
}
