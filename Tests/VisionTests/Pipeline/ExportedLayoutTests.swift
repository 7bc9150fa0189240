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

/// Pascal VOC's 1-based coordinates: a file written 0-based is told exactly what to change; a 1-based file with
/// one box clamped at 0 is not called shifted.
@Suite("VOC written 0-based")
struct VOCZeroBasedTests {
    static func check(editing edit: (String) -> String) async throws -> DatasetReport {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await DatasetGenerator(format: .voc, imageCount: 16).generatedOffThePool(into: directory.path)
        let path = directory.path + "/Annotations/img_00000.xml"
        try edit(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        return try await DatasetChecker(concurrency: 1).check(root: directory.path).report
    }

    static func startingAtZero(_ xml: String) -> String {
        guard let range = xml.range(of: #"<xmin>\d+</xmin>"#, options: .regularExpression) else { return xml }
        return xml.replacingCharacters(in: range, with: "<xmin>0</xmin>")
    }

    @Test("a box at 0 and none at the far edge: the file is 0-based, and the advice is every coordinate plus one")
    func shifted() async throws {
        let report = try await Self.check(editing: Self.startingAtZero)
        let finding = try #require(report.findings.first { $0.check == .vocZeroBased })
        #expect(finding.item == "Annotations/img_00000.xml")
        #expect(finding.message.contains("add 1 to every xmin, ymin, xmax and ymax"))
    }

    @Test("a box at 0 beside one reaching the right edge (1-based): not called 0-based")
    func clampedAtZero() async throws {
        let report = try await Self.check { xml in
            Self.startingAtZero(xml).replacingOccurrences(
                of: "</annotation>",
                with: "<object><name>person</name><bndbox><xmin>250</xmin><ymin>40</ymin><xmax>320</xmax>"
                    + "<ymax>90</ymax></bndbox></object>\n</annotation>")
        }
        #expect(!report.findings.contains { $0.check == .vocZeroBased }, "\(GeneratedDatasetTests.summary(report))")
        #expect(!report.findings.contains { $0.check == .outOfBounds }, "\(GeneratedDatasetTests.summary(report))")
    }
}

/// Summaries of images analysed beforehand (as the marketplace analyses uploads as they arrive) stand in for
/// reading the images again, and give the same report.
@Suite("Check with images already analysed")
struct KnownSummariesTests {
    @Test("known summaries give the report bytes a full check gives, without reading those images")
    func sameReport() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await DatasetGenerator(format: .yolo, imageCount: 16, defects: [.blurry, .exactDuplicate])
            .generatedOffThePool(into: directory.path)
        let full = try await DatasetChecker(concurrency: 2).check(root: directory.path)
        var checker = DatasetChecker(concurrency: 2)
        checker.known = Dictionary(
            zip(full.paths, full.summaries).compactMap { path, summary in summary.map { (path, $0) } },
            uniquingKeysWith: { first, _ in first })
        // The files are emptied: only the known summaries can speak for them.
        for path in full.paths { try Data().write(to: URL(fileURLWithPath: directory.path + "/" + path)) }
        let again = try await checker.check(root: directory.path)
        #expect(again.report.canonicalJSON == full.report.canonicalJSON)
    }
}
