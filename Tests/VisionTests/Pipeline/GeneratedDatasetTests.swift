import Foundation
import Testing
import Vision

/// The whole check on generated datasets: clean ones pass without errors or warnings, and every planted defect is
/// found by its check at the image (or annotation file) where it was planted.
@Suite("Dataset check on generated datasets")
struct GeneratedDatasetTests {
    static func found(_ planted: PlantedFinding, in report: DatasetReport) -> Bool {
        report.findings.contains { finding in
            guard finding.check == planted.check else { return false }
            if finding.item == planted.image || finding.details["image"] == .string(planted.image) { return true }
            // A duplicate's finding names one image of the pair as its item and the other in its details.
            let pairChecks: Set<CheckID> = [.exactDuplicate, .identicalPixels, .nearDuplicate, .labelConflict, .splitLeakage]
            if pairChecks.contains(planted.check), finding.details["other"] == .string(planted.image) { return true }
            if let file = planted.file { return finding.item == file || finding.item.hasPrefix(file + ":") }
            return false
        }
    }

    static func summary(_ report: DatasetReport) -> String {
        report.findings.map { "\($0.severity.rawValue) \($0.check) \($0.item): \($0.message)" }.joined(separator: "\n")
    }

    @Test("a clean dataset passes with no errors and no warnings", arguments: AnnotationFormat.allCases)
    func clean(format: AnnotationFormat) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let generated = try await DatasetGenerator(format: format, imageCount: 24).generatedOffThePool(into: directory.path)
        let outcome = try await DatasetChecker(concurrency: 1).check(root: directory.path)
        let report = outcome.report
        #expect(report.format == format)
        #expect(report.errors == 0 && report.warnings == 0, "\(Self.summary(report))")
        #expect(report.passed && report.score >= 95)
        #expect(Set(outcome.paths) == Set(generated.images))
        #expect(outcome.summaries.allSatisfy { $0?.isDecoded == true })
    }

    @Test("every defect the format can carry is found where it was planted", arguments: AnnotationFormat.allCases)
    func planted(format: AnnotationFormat) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let defects = PlantedDefect.supported(by: format)
        let generated = try await DatasetGenerator(format: format, imageCount: defects.count + 16, defects: defects)
            .generatedOffThePool(into: directory.path)
        #expect(generated.planted.count == defects.count)
        let report = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        for planted in generated.planted {
            #expect(Self.found(planted, in: report), "\(format) \(planted.defect) → \(planted.check) at \(planted.image)\n\(Self.summary(report))")
        }
        #expect(!report.passed && report.errors > 0)
    }

    @Test("the same dataset and policy give the same report bytes; a policy can switch checks off")
    func deterministicAndPolicy() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try await DatasetGenerator(format: .coco, imageCount: 20, defects: [.dark, .truncatedImage]).generatedOffThePool(into: directory.path)
        let first = try await DatasetChecker(concurrency: 2).check(root: directory.path).report
        let second = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        #expect(first.canonicalJSON == second.canonicalJSON && first.sha256 == second.sha256)
        #expect(!first.passed && first.findings.contains { $0.check == .truncatedImage && $0.severity == .error })

        let lenient = try QualityPolicy(json: Array("""
            {"severity": {"image.truncated": "off", "quality.dark": "error"}, "min_score": 50, "max_errors": 1}
            """.utf8))
        let relaxed = try await DatasetChecker(policy: lenient, concurrency: 1).check(root: directory.path).report
        #expect(!relaxed.findings.contains { $0.check == .truncatedImage })
        #expect(relaxed.findings.contains { $0.check == .dark && $0.severity == .error })
        #expect(relaxed.errors == 1 && relaxed.passed)
        #expect(relaxed.canonicalJSON != first.canonicalJSON)
    }

    @Test("a folder that is not a dataset cannot be checked at all")
    func notADataset() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        await #expect(throws: VisionError(.notADataset, "")) { try await DatasetChecker(concurrency: 1).check(root: directory.path + "/missing") }
        await #expect(throws: VisionError.self) { try await DatasetChecker(concurrency: 1).check(root: directory.path) }
    }
}
