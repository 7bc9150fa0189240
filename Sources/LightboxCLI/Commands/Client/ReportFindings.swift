import Foundation

/// The findings of a QA report (`lightbox.vision-report/v1`), read for people: the checks that weigh most, with
/// how many items each found and the first of them.
struct ReportFindings: Decodable {
    struct Finding: Decodable {
        let check: String
        let severity: String
        let item: String
        let message: String
    }

    let score: Int
    let verdict: String
    let findings: [Finding]

    init(json: [UInt8]) throws { self = try JSONDecoder().decode(Self.self, from: Data(json)) }

    /// Up to `count` lines, one per check: errors first, then warnings, then notes; within each, the check with
    /// the most findings first.
    func top(_ count: Int) -> [String] {
        let rank = ["error": 0, "warning": 1, "info": 2]
        let byCheck = Dictionary(grouping: findings, by: \.check).values.sorted {
            let (a, b) = ($0[0], $1[0])
            return (rank[a.severity] ?? 3, -$0.count, a.check) < (rank[b.severity] ?? 3, -$1.count, b.check)
        }
        return byCheck.prefix(count).map { group in
            let first = group[0]
            return "\(first.severity) \(first.check) ×\(group.count): \(first.item): \(first.message)"
        }
    }
}
