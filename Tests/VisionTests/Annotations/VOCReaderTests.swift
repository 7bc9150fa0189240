import Foundation
import Testing
import Vision

@Suite("Pascal VOC reader")
struct VOCReaderTests {
    static func xml(
        _ fileName: String, objects: String,
        size: String = "<size><width>500</width><height>375</height><depth>3</depth></size>"
    ) -> String {
        """
        <?xml version="1.0"?>
        <annotation>
        \t<folder>VOC2012</folder>
        \t<filename>\(fileName)</filename>
        \t\(size)
        \(objects)
        </annotation>
        """
    }

    static func object(_ name: String, _ box: (String, String, String, String)) -> String {
        """
        \t<object>
        \t\t<name>\(name)</name>
        \t\t<difficult>0</difficult>
        \t\t<bndbox><xmin>\(box.0)</xmin><ymin>\(box.1)</ymin><xmax>\(box.2)</xmax><ymax>\(box.3)</ymax></bndbox>
        \t</object>
        """
    }

    @Test("the VOCdevkit layout: JPEGImages beside Annotations, splits from ImageSets/Main")
    func devkit() throws {
        try TemporaryDataset.with { data in
            let base = "VOCdevkit/VOC2012"
            try data.write(
                "\(base)/Annotations/2008_000001.xml",
                Self.xml(
                    "2008_000001.jpg",
                    objects:
                        Self.object("dog", ("48", "240", "195", "371")) + "\n"
                        + Self.object("person", ("8", "12", "352", "498.5"))))
            try data.write(
                "\(base)/Annotations/2008_000002.xml",
                Self.xml(
                    "2008_000002.jpg",
                    objects:
                        Self.object("person", ("1", "1", "10", "10"))))
            try data.images("\(base)/JPEGImages/2008_000001.jpg", "\(base)/JPEGImages/2008_000002.jpg")
            try data.write("\(base)/ImageSets/Main/train.txt", "2008_000001\n")
            try data.write("\(base)/ImageSets/Main/val.txt", "2008_000002\n")
            try data.write("\(base)/ImageSets/Main/dog_train.txt", "2008_000001  1\n")
            let dataset = try data.read()
            #expect(dataset.format == .voc)
            #expect(dataset.findings.isEmpty)
            #expect(
                dataset.images.map(\.path) == [
                    "\(base)/JPEGImages/2008_000001.jpg", "\(base)/JPEGImages/2008_000002.jpg",
                ])
            #expect(dataset.images.map(\.split) == ["train", "val"])
            #expect(dataset.images[0].declaredWidth == 500 && dataset.images[0].declaredHeight == 375)
            #expect(dataset.images[0].location == SourceLocation(file: "\(base)/Annotations/2008_000001.xml", line: 2))
            #expect(dataset.categories == [Category(id: 0, name: "dog"), Category(id: 1, name: "person")])
            #expect(dataset.annotations.map(\.category) == [0, 1, 1])
            #expect(dataset.annotations.map(\.box) == [[48, 240, 195, 371], [8, 12, 352, 498.5], [1, 1, 10, 10]])
            #expect(dataset.annotations.map(\.location.line) == [6, 11, 6])
            #expect(dataset.annotations.allSatisfy { $0.convention == .vocOneBased })
        }
    }

    @Test("labels.txt orders the classes; a name it lacks gets an id no category has")
    func labelsFile() throws {
        try TemporaryDataset.with { data in
            try data.write("labels.txt", "person\ndog\n")
            try data.write(
                "Annotations/a.xml",
                Self.xml(
                    "a.jpg",
                    objects:
                        Self.object("dog", ("1", "1", "5", "5")) + "\n" + Self.object("dgo", ("1", "1", "5", "5"))))
            try data.images("JPEGImages/a.jpg")
            let dataset = try data.read(.voc)
            #expect(dataset.categories.map(\.name) == ["person", "dog"])
            #expect(dataset.annotations.map(\.category) == [1, 2])
            #expect(dataset.findings.isEmpty)
            #expect(dataset.annotationFiles == ["Annotations/a.xml", "labels.txt"])
        }
    }

    @Test("XML beside its image; a missing file keeps the path it should have")
    func besideImage() throws {
        try TemporaryDataset.with { data in
            try data.write("shots/train/p.xml", Self.xml("p.png", objects: ""))
            try data.write("shots/train/q.xml", Self.xml("q.png", objects: ""))
            try data.images("shots/train/p.png")
            try data.write("other/config.xml", "<config/>")
            let dataset = try data.read(.voc)
            #expect(dataset.images.map(\.path) == ["shots/train/p.png", "shots/train/q.png"])
            #expect(dataset.images.map(\.split) == ["train", "train"])
            #expect(dataset.annotationFiles == ["shots/train/p.xml", "shots/train/q.xml"])
        }
    }

    @Test("malformed files and objects are findings at file:line")
    func defects() throws {
        try TemporaryDataset.with { data in
            try data.write(
                "Annotations/broken.xml",
                "<annotation>\n  <filename>b.jpg</filename>\n  <object>\n  </objet>\n</annotation>\n")
            try data.write("Annotations/other.xml", "<?xml version=\"1.0\"?>\n<config/>\n")
            try data.write("Annotations/entity.xml", "<!DOCTYPE a [\n<!ENTITY x \"y\">]>\n<annotation/>\n")
            try data.write(
                "Annotations/c.xml",
                Self.xml(
                    "",
                    objects:
                        Self.object("cat", ("1", "2", "three", "4")) + "\n\t<object><name>cat</name></object>\n"
                        + "\t<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax>"
                        + "</bndbox></object>\n"
                        + "\t<object><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax>"
                        + "</bndbox></object>",
                    size: "<size><width>big</width></size>"))
            try data.images("JPEGImages/c.jpg")
            let dataset = try data.read(.voc)
            #expect(
                dataset.findingItems == [
                    "annotation.malformed Annotations/broken.xml:4",
                    "annotation.malformed Annotations/c.xml:4", "annotation.malformed Annotations/c.xml:5",
                    "annotation.malformed Annotations/c.xml:5", "annotation.malformed Annotations/c.xml:9",
                    "annotation.malformed Annotations/c.xml:11", "annotation.malformed Annotations/c.xml:12",
                    "annotation.malformed Annotations/c.xml:13",
                    "annotation.malformed Annotations/entity.xml:2", "annotation.malformed Annotations/other.xml:2",
                ])
            #expect(dataset.findings[0].message.hasPrefix("Annotations/broken.xml:4:"))
            #expect(dataset.findings[3].severity == .warning)  // no <height>
            #expect(dataset.images.map(\.path) == ["JPEGImages/c.jpg"])  // found by the XML's own name
            #expect(dataset.annotations.count == 1 && dataset.annotations[0].category == nil)
            #expect(dataset.annotations[0].location.line == 13)
        }
    }
}
