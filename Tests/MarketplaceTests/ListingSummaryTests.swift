import Foundation
import Ledger
import Marketplace
import Testing
import Vision

/// What a buyer reads before paying: the licence's terms in words and the QA report in short.
@Suite("Listing summaries")
struct ListingSummaryTests {
    @Test("each flag lands in allowed or not allowed; seats, duration, territory and credit are conditions")
    func licenceWords() {
        let research = LicenceWords(LicenceTerms(
            template: "research", commercialUse: false, aiTraining: true, derivatives: false, redistribution: false,
            attribution: true, seats: 5, durationDays: 365, territory: "DE,FR"))
        #expect(research.name == "research (Lightbox terms)")
        #expect(research.allowed == ["training and evaluating machine-learning models"])
        #expect(research.notAllowed.count == 3 && research.notAllowed.contains { $0.hasPrefix("commercial use") })
        #expect(research.conditions == [
            "credit the creator wherever the data or its derivatives are used", "at most 5 people may use it",
            "the licence runs for 365 days from purchase", "only in DE,FR",
        ])
        let open = LicenceWords(LicenceTerms(
            template: "CC-BY-4.0", spdx: "CC-BY-4.0", commercialUse: true, aiTraining: true, derivatives: true,
            redistribution: true, attribution: true))
        #expect(open.name == "CC-BY-4.0" && open.notAllowed.isEmpty && open.allowed.count == 4)
        #expect(open.conditions.contains("the licence never expires") && open.conditions.contains("anywhere in the world"))
    }

    @Test("a report's findings are counted by check and severity, worst first, with the policy and the labels")
    func qualitySummary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await MarketplaceHarness.generate(directory, seed: 3, defects: [.blurry, .degenerateBox, .dark])
        let report = try await DatasetChecker(concurrency: 1).check(root: directory).report
        let summary = try QualitySummary(reportJSON: report.canonicalJSON)
        #expect(summary.score == report.score && summary.passed == report.passed && summary.format == "coco")
        #expect(summary.errors == report.findings.count { $0.severity == .error })
        #expect(summary.checks.first?.severity == "error" && summary.checks.first?.check == "geometry.degenerate-box")
        #expect(summary.checks.contains { $0.check == "quality.blurry" && $0.severity == "warning" && $0.count >= 1 })
        #expect(summary.checks.first { $0.check == "quality.blurry" }?.summary == "little contrast in fine detail")
        #expect(summary.checks.map(\.count).reduce(0, +) == report.findings.count)
        #expect(summary.labels.map(\.count) == summary.labels.map(\.count).sorted(by: >) && !summary.labels.isEmpty)
        #expect(summary.minimumScore == 80 && summary.maximumErrors == 0)

        #expect(throws: MarketplaceError.self) { try QualitySummary(reportJSON: Array("{\"report\": \"other\"}".utf8)) }
        #expect(throws: MarketplaceError.self) { try QualitySummary(reportJSON: Array("not json".utf8)) }
    }
}
