import Vision

/// The short summary `lightbox dataset check` prints.
enum DatasetSummary {
    static func text(_ report: DatasetReport, outcome: DatasetChecker.Outcome) -> String {
        var lines: [String] = []
        let stats = report.statistics
        func int(_ key: String) -> Int {
            if case .object(let members) = stats, case .int(let value)? = members[key] { return value }
            return 0
        }
        lines.append(
            "dataset: \(report.format.rawValue), \(int("images")) images (\(int("decoded")) decoded), "
                + "\(int("annotations")) annotations, \(int("classes")) classes")
        lines.append("findings: \(report.errors) errors, \(report.warnings) warnings, \(report.infos) infos")
        var counts: [CheckID: (Severity, Int)] = [:]
        for finding in report.findings {
            counts[finding.check] = (finding.severity, (counts[finding.check]?.1 ?? 0) + 1)
        }
        let ordered = counts.sorted { ($0.value.0, $1.key) > ($1.value.0, $0.key) }
        for (check, (severity, count)) in ordered {
            let example = report.findings.first { $0.check == check }!
            let line = "  \(severity.rawValue.padding(7)) \(check.rawValue.padding(36)) \(String(count).leftPadding(5))  "
                + "e.g. \(example.item): \(example.message)"
            lines.append(line.count > 160 ? String(line.prefix(159)) + "…" : line)
        }
        let rule = "policy: at most \(report.policy.maximumErrors) errors, score ≥ \(report.policy.minimumScore)"
        lines.append("score: \(report.score)/100, verdict: \(report.passed ? "pass" : "fail") (\(rule))")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
