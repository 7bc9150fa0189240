import MarketAPI
import Marketplace

/// How a listing reads in the terminal: what it is, its quality, its licence in words, and its provenance.
enum ListingLines {
    static func lines(_ page: ListingResponse) -> [String] {
        let card = page.listing
        let provenance = page.provenance
        var lines = [
            "#\(card.listingID)  \(card.title)",
            "  \(card.description)",
            "  task \(card.task), \(card.images) images, \(card.annotations) annotations",
            "  price \(provenance.price) tokens, royalty \(Double(card.royaltyBps) / 100) % on resales; "
                + (provenance.forSale ? "for sale" : "not for sale"),
        ]
        lines += quality(page.quality, score: card.score)
        lines += licence(page.licence, termsHash: card.termsHash)
        lines += [
            "provenance",
            "  owner \(provenance.owner), creator \(provenance.creator)",
            "  content root \(provenance.contentRoot); manifest \(provenance.manifestCID); report \(provenance.reportCID)",
            provenance.chainID.map { "  attested by QA key \(provenance.attestationKey.prefix(16))…; on chain \($0)" }
                ?? "  attested by QA key \(provenance.attestationKey.prefix(16))…; ledger root \((provenance.rootHash ?? "").prefix(16))… at size \(provenance.treeSize ?? 0)",
        ]
        for event in provenance.events {
            let location = event.transaction.map { "transaction \($0) in block \(event.block ?? 0)" }
                ?? (event.proof.map { "proof of \($0.count) hashes" } ?? "after the latest checkpoint")
            lines.append("  entry \(event.index) \(ClientOutput.time(event.time)) \(event.name) (\(location))")
        }
        return lines
    }

    /// The QA summary: score and verdict, the labels, findings by check, the policy.
    static func quality(_ summary: QualitySummary?, score: Int) -> [String] {
        guard let summary else { return ["quality score \(score) (this node does not hold the report)"] }
        var lines = [
            "quality score \(summary.score)/100, \(summary.passed ? "passed" : "failed") its check (\(summary.format); "
                + "\(summary.errors) errors, \(summary.warnings) warnings, \(summary.infos) notes)",
            "  labels " + summary.labels.prefix(12).map { "\($0.label) (\($0.count))" }.joined(separator: ", ")
                + (summary.labels.count > 12 ? ", and \(summary.labels.count - 12) more" : ""),
        ]
        for check in summary.checks.prefix(10) {
            lines.append("  \(check.severity) \(check.check) ×\(check.count)" + (check.summary.isEmpty ? "" : ": \(check.summary)"))
        }
        if summary.checks.count > 10 { lines.append("  and \(summary.checks.count - 10) more checks with findings") }
        lines.append("  policy: a score of at least \(summary.minimumScore) and at most \(summary.maximumErrors) errors"
            + (summary.severityChanges.isEmpty ? "" : "; " + summary.severityChanges.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        return lines
    }

    /// The licence in words.
    static func licence(_ words: LicenceWords, termsHash: String) -> [String] {
        var lines = ["licence \(words.name) (terms hash \(termsHash.prefix(18))…)"]
        lines += words.allowed.map { "  allowed: \($0)" }
        lines += words.notAllowed.map { "  not allowed: \($0)" }
        lines += words.conditions.map { "  condition: \($0)" }
        return lines
    }
}
