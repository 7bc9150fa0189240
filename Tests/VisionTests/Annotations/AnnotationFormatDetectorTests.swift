import Foundation
import Testing
import Vision

@Suite("Annotation format detection and image listing")
struct AnnotationFormatDetectorTests {
    @Test("each format is told by its files")
    func detectsEachFormat() throws {
        try TemporaryDataset.with { data in
            try data.write(
                "annotations/instances_val.json", "{\"info\": {\"a\": [1]}, \"images\": [], \"annotations\": []}")
            try data.write("tsconfig.json", "{\"compilerOptions\": {}}")
            #expect(try AnnotationFormatDetector.detect(root: data.root) == .coco)
        }
        try TemporaryDataset.with { data in
            try data.write("VOC/Annotations/a.xml", "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<annotation/>")
            try data.write("VOC/ImageSets/Main/train.txt", "a\n")
            #expect(try AnnotationFormatDetector.detect(root: data.root) == .voc)
        }
        try TemporaryDataset.with { data in
            try data.write("labels/train/a.txt", "0 0.5 0.5 0.1 0.1\n")
            try data.write("README.txt", "hello\n")
            #expect(try AnnotationFormatDetector.detect(root: data.root) == .yolo)
        }
        try TemporaryDataset.with { data in
            try data.write("classes.txt", "cat\n")
            try data.images("a.jpg")
            #expect(try AnnotationFormatDetector.detect(root: data.root) == .yolo)
        }
    }

    @Test("two formats, or none, is an unknownFormat error that says to name the format")
    func ambiguousOrNone() throws {
        try TemporaryDataset.with { data in
            try data.write("coco.json", "{\"images\": [], \"categories\": []}")
            try data.write("Annotations/a.xml", "<annotation></annotation>")
            do throws(VisionError) {
                _ = try AnnotationFormatDetector.detect(root: data.root)
                Issue.record("expected an error")
            } catch {
                #expect(error.code == .unknownFormat)
                #expect(error.message.contains("coco (coco.json), voc (Annotations/a.xml)"))
                #expect(error.message.hasSuffix("name the format with --format coco|yolo|voc|cvat|imagenet"))
            }
            #expect(try AnnotationReader.read(root: data.root, format: .voc).format == .voc)
        }
        try TemporaryDataset.with { data in
            try data.images("a.jpg")
            try data.write("notes.txt", "x")
            #expect(throws: VisionError(.unknownFormat, "")) { try AnnotationReader.read(root: data.root, format: nil) }
        }
        #expect(throws: VisionError(.notADataset, "")) {
            try AnnotationReader.read(root: "/nonexistent/lightbox-\(UUID().uuidString)", format: nil)
        }
    }

    @Test("image files: relative, sorted by UTF-8 bytes, hidden files, folders and links left out")
    func imageFiles() throws {
        try TemporaryDataset.with { data in
            try data.images("b/z.JPEG", "a.jpg", "B.png", "é.jpg", "a/x.jpg")
            try data.images(".hidden.jpg", ".cache/y.jpg", "b/.t.png")
            try data.write("a/notes.txt", "x")
            try data.write("c.gif", "x")
            try FileManager.default.createSymbolicLink(
                atPath: data.root + "/link.jpg", withDestinationPath: data.root + "/a.jpg")
            #expect(AnnotationReader.imageFiles(root: data.root) == ["B.png", "a.jpg", "a/x.jpg", "b/z.JPEG", "é.jpg"])
            #expect(AnnotationReader.imageFiles(root: data.root + "/missing").isEmpty)
        }
    }
}
