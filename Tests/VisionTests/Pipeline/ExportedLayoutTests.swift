import Foundation
import Testing
import Vision

/// Datasets laid out as other tools export them are read as their authors meant: images found wherever they lie,
/// with no false finding.
@Suite("Datasets exported by other tools")
struct ExportedLayoutTests {
    @Test("FiftyOne's VOC layout (data/ + labels/, an absolute <path> from the exporting machine) reads clean")
    func fiftyOneVOC() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var generator = DatasetGenerator(format: .voc, imageCount: 16)
        generator.layout = .fiftyOne
        let generated = try await generator.generatedOffThePool(into: directory.path)
        #expect(generated.images.allSatisfy { $0.hasPrefix("data/") })
        let xml = try String(contentsOfFile: directory.path + "/labels/img_00000.xml", encoding: .utf8)
        #expect(xml.contains("<path>/exports/") && !FileManager.default.fileExists(atPath: directory.path + "/Annotations"))
        let outcome = try await DatasetChecker(concurrency: 1).check(root: directory.path)
        #expect(outcome.report.format == .voc)
        #expect(outcome.report.errors == 0 && outcome.report.warnings == 0, "\(GeneratedDatasetTests.summary(outcome.report))")
        #expect(Set(outcome.paths) == Set(generated.images))
    }

    @Test("COCO file_name values with the exporting machine's absolute folders, or with none, find their images")
    func cocoFileNames() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let generated = try await DatasetGenerator(format: .coco, imageCount: 16).generatedOffThePool(into: directory.path)
        for split in ["train", "val"] {
            let path = directory.path + "/annotations/instances_\(split).json"
            var json = try String(contentsOfFile: path, encoding: .utf8)
            for image in generated.images where json.contains("\"\(image)\"") {
                // Half with an absolute path from elsewhere, half with the bare file name.
                let name = (image as NSString).lastPathComponent
                let replacement = name.hasSuffix(".png") ? "/home/someone/export/\(image)" : name
                json = json.replacingOccurrences(of: "\"\(image)\"", with: "\"\(replacement)\"")
            }
            try json.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let outcome = try await DatasetChecker(concurrency: 1).check(root: directory.path)
        #expect(outcome.report.errors == 0 && outcome.report.warnings == 0, "\(GeneratedDatasetTests.summary(outcome.report))")
        #expect(Set(outcome.paths) == Set(generated.images))
    }
}
