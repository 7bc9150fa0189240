import Foundation
import Marketplace

/// The findings of a QA report (`lightbox.vision-report/v1`), read for people: the checks in the order the listing's
/// QA summary gives them (``QualitySummary``: errors first, the most frequent first), each with its count and first
/// finding.
struct ReportFindings {
    struct Finding: Decodable {
        let check: String
        let severity: String
        let item: String
        let message: String
    }

    private struct Findings: Decodable {
        let verdict: String
        let findings: [Finding]
    }

    let summary: QualitySummary
    let verdict: String
    let findings: [Finding]
    var score: Int { summary.score }

    init(json: [UInt8]) throws {
        summary = try QualitySummary(reportJSON: json)
        let read = try JSONDecoder().decode(Findings.self, from: Data(json))
        verdict = read.verdict
        findings = read.findings
    }

    /// Up to `count` lines, one per check and severity, with how many findings it has and its first.
    func top(_ count: Int) -> [String] {
        summary.checks.prefix(count).compactMap { check in
            findings.first { $0.check == check.check && $0.severity == check.severity }.map {
                "\(check.severity) \(check.check) ×\(check.count): \($0.item): \($0.message)"
            }
        }
    }
}
