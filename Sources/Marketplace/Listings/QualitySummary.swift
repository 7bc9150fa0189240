import Foundation
public import Vision

/// A QA report in short, as a buyer reads it before paying: score and verdict, the findings counted by check with
/// what each check looks for, the labels with their annotation counts, and the policy the report was judged by.
public struct QualitySummary: Sendable, Equatable, Codable {
    public struct CheckCount: Sendable, Equatable, Codable {
        public var check: String
        public var severity: String
        public var count: Int
        /// What the check looks for (from the catalogue), empty for a check this node does not know.
        public var summary: String
    }

    public struct LabelCount: Sendable, Equatable, Codable {
        public var label: String
        public var count: Int
    }

    public var score: Int
    public var passed: Bool
    public var format: String
    public var images: Int
    public var annotations: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    /// Errors first, then warnings, then information; the most frequent first within each.
    public var checks: [CheckCount]
    /// Most annotated first.
    public var labels: [LabelCount]
    public var minimumScore: Int
    public var maximumErrors: Int
    /// Checks whose severity the policy changed, `check: severity` (or `off`).
    public var severityChanges: [String: String]

    enum CodingKeys: String, CodingKey {
        case score, passed, format, images, annotations, errors, warnings, infos, checks, labels
        case minimumScore = "min_score"
        case maximumErrors = "max_errors"
        case severityChanges = "severity_changes"
    }

    private struct Report: Decodable {
        struct Finding: Decodable { let check: String; let severity: String }
        struct Statistics: Decodable {
            let images: Int?
            let annotations: Int?
            let per_class: [String: Int]?
        }
        struct Policy: Decodable {
            let min_score: Int
            let max_errors: Int
            let severity: [String: String]?
        }
        let report: String
        let format: String
        let score: Int
        let verdict: String
        let findings: [Finding]
        let statistics: Statistics
        let policy: Policy
    }

    /// Reads a `lightbox.vision-report/v1` document.
    /// - Throws: ``MarketplaceError`` `.unprocessable` when the bytes are not such a report.
    public init(reportJSON: [UInt8]) throws(MarketplaceError) {
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(reportJSON))
        } catch {
            throw MarketplaceError(.unprocessable, "the QA report cannot be read: it is not a Lightbox vision report")
        }
        guard report.report == DatasetReport.formatName else {
            throw MarketplaceError(.unprocessable, "the QA report is \"\(report.report)\", not \(DatasetReport.formatName)")
        }
        score = report.score
        passed = report.verdict == "pass"
        format = report.format
        images = report.statistics.images ?? 0
        annotations = report.statistics.annotations ?? 0
        var counts: [String: [String: Int]] = [:]
        for finding in report.findings { counts[finding.check, default: [:]][finding.severity, default: 0] += 1 }
        let rank = ["error": 0, "warning": 1, "info": 2]
        checks = counts.flatMap { check, bySeverity in
            bySeverity.map { CheckCount(check: check, severity: $0.key, count: $0.value, summary: CheckCatalogue.entry(check)?.summary ?? "") }
        }.sorted {
            (rank[$0.severity] ?? 3, -$0.count, $0.check) < (rank[$1.severity] ?? 3, -$1.count, $1.check)
        }
        errors = report.findings.count { $0.severity == "error" }
        warnings = report.findings.count { $0.severity == "warning" }
        infos = report.findings.count { $0.severity == "info" }
        labels = (report.statistics.per_class ?? [:]).map { LabelCount(label: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        minimumScore = report.policy.min_score
        maximumErrors = report.policy.max_errors
        severityChanges = report.policy.severity ?? [:]
    }
}
