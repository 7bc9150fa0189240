import Foundation
import Testing
import Vision

/// CVAT for images 1.1 XML as CVAT exports it: labels from a project's meta, boxes with attributes, polygons, tags,
/// subsets, images found in `images/`; shapes the checks do not read are passed over.
@Suite("CVAT reader")
struct CVATReaderTests {
    static let export = """
        <?xml version="1.0" encoding="utf-8"?>
        <annotations>
          <version>1.1</version>
          <meta>
            <project>
              <name>streets</name>
              <labels>
                <label><name>car</name><color>#fa3253</color><type>any</type>
                  <attributes><attribute><name>model</name><mutable>False</mutable><input_type>text</input_type>
                  <default_value></default_value><values></values></attribute></attributes>
                </label>
                <label><name>person</name><color>#33ddff</color><type>any</type><attributes></attributes></label>
                <label><name>night</name><type>tag</type><attributes></attributes></label>
              </labels>
            </project>
          </meta>
          <image id="0" name="a.jpg" width="320" height="240" subset="Train">
            <box label="car" source="manual" occluded="0" xtl="10.50" ytl="20.00" xbr="110.50" ybr="70.00" z_order="0">
              <attribute name="model">van &amp; trailer</attribute>
            </box>
            <polygon label="person" source="manual" occluded="1" points="5.0,5.0;40.0,5.0;40.0,60.0" z_order="0"></polygon>
            <polyline label="car" source="manual" occluded="0" points="1,1;2,2" z_order="0"></polyline>
          </image>
          <image id="1" name="b.png" width="320" height="240" subset="Validation">
            <tag label="night" source="manual"></tag>
            <box label="bicycle" source="manual" occluded="0" xtl="1" ytl="2" xbr="oops" ybr="4" z_order="0"></box>
            <box label="truck" source="manual" occluded="0" xtl="1" ytl="2" xbr="30" ybr="40" z_order="0"></box>
          </image>
        </annotations>
        """

    @Test("labels, images, boxes, polygons and tags are read; a bad box and an undeclared label are findings")
    func export() throws {
        try TemporaryDataset.with { data in
            try data.images("images/a.jpg", "images/b.png")
            try data.write("annotations.xml", Self.export)
            let dataset = try data.read()
            #expect(dataset.format == .cvat)
            #expect(dataset.categories.map(\.name) == ["car", "person", "night"])
            #expect(dataset.images.map(\.path) == ["images/a.jpg", "images/b.png"])
            #expect(dataset.images.map(\.split) == ["train", "val"])
            #expect(dataset.images[0].declaredWidth == 320 && dataset.images[0].declaredHeight == 240)
            let annotations = dataset.annotations
            #expect(annotations.count == 4)
            #expect(annotations[0].category == 0 && annotations[0].box == [10.5, 20, 100, 50] && annotations[0].convention == .cocoPixels)
            #expect(annotations[1].category == 1 && annotations[1].segmentation == .polygons([[5, 5, 40, 5, 40, 60]]))
            #expect(annotations[2].category == 2 && annotations[2].box == nil && annotations[2].segmentation == nil)
            #expect(annotations[3].category.map { $0 > 2 } == true)  // "truck": no such label
            #expect(dataset.findingItems == ["annotation.malformed annotations.xml:26"])
            #expect(dataset.findings[0].message.contains("xbr is \"oops\""))
        }
    }

    @Test("the whole check on a CVAT export reports the undeclared label as an undefined category")
    func undeclaredLabel() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await DatasetGenerator(format: .cvat, imageCount: 16).generatedOffThePool(into: directory.path)
        let path = directory.path + "/annotations.xml"
        var xml = try String(contentsOfFile: path, encoding: .utf8)
        let range = try #require(xml.range(of: "<box label=\"person\""))
        xml.replaceSubrange(range, with: "<box label=\"truck\"")
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        #expect(report.findings.contains { $0.check == .undefinedCategory })
    }
}
