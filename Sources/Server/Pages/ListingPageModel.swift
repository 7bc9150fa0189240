import Foundation
import Marketplace
import Mustache

/// The listing page's model: the card, its licence in words, its QA summary, and its provenance with what the
/// browser needs to check every event.
struct ListingPageModel {
    let title: String
    let card: ListingCard
    let previews: [SearchPage.Preview]
    let royalty: String
    let licence: LicenceWords
    let quality: Quality?
    let qualityError: String
    let provenance: ListingProvenance
    let hasLog: Bool
    let events: [Event]
    /// The checkpoint, verifier key and each event's entry and proof, as JSON safe inside a `<script>` element.
    let proofData: String

    struct Quality {
        let score: Int
        let scoreClass: String
        let verdict: String
        let verdictClass: String
        let images: Int
        let annotations: Int
        let format: String
        let errors: Int
        let warnings: Int
        let infos: Int
        let minimumScore: Int
        let maximumErrors: Int
        let severityChanges: [String]
        let hasChecks: Bool
        let checks: [QualitySummary.CheckCount]
        let labels: [QualitySummary.LabelCount]

        init(_ summary: QualitySummary) {
            score = summary.score
            scoreClass = PageFormatting.scoreClass(summary.score)
            verdict = summary.passed ? "passed" : "failed"
            verdictClass = summary.passed ? "pass" : "fail"
            images = summary.images
            annotations = summary.annotations
            format = summary.format
            errors = summary.errors
            warnings = summary.warnings
            infos = summary.infos
            minimumScore = summary.minimumScore
            maximumErrors = summary.maximumErrors
            severityChanges = summary.severityChanges.sorted { $0.key < $1.key }.map { "\($0.key) set to \($0.value)" }
            hasChecks = !summary.checks.isEmpty
            checks = summary.checks
            labels = summary.labels
        }
    }

    struct Event {
        let position: Int
        let index: UInt64
        let isoTime: String
        let displayTime: String
        let contract: String
        let name: String
        let fieldsText: String
        let proved: Bool
        let transaction: String?
        let block: UInt64?
    }

    private struct ProofData: Encodable {
        let checkpoint: String?
        let verifier_key: String?
        let tree_size: UInt64?
        let events: [ProofEvent]
        /// Each log entry once, base64, by its index: several events can share one entry.
        let entries: [String: String]
    }

    private struct ProofEvent: Encodable {
        let index: UInt64
        let contract: String
        let name: String
        let fields: [String: String]
        let leaf_hash: String?
        let proof: [String]?
    }

    init(card: ListingCard, provenance: ListingProvenance, quality: Result<QualitySummary, any Error>) {
        title = card.title
        self.card = card
        previews = SearchPage.previews(of: card)
        royalty = PageFormatting.percent(basisPoints: card.royaltyBps)
        licence = LicenceWords(card.terms)
        switch quality {
        case .success(let summary):
            self.quality = Quality(summary)
            qualityError = ""
        case .failure(let error):
            self.quality = nil
            qualityError = "\(error)"
        }
        self.provenance = provenance
        hasLog = provenance.checkpoint != nil
        events = provenance.events.enumerated().map { position, event in
            Event(
                position: position, index: event.index, isoTime: PageFormatting.isoTime(event.time),
                displayTime: PageFormatting.displayTime(event.time), contract: event.contract, name: event.name,
                fieldsText: PageFormatting.fieldsText(event.fields), proved: event.proof != nil,
                transaction: event.transaction, block: event.block)
        }
        let data = ProofData(
            checkpoint: provenance.checkpoint, verifier_key: provenance.verifierKey, tree_size: provenance.treeSize,
            events: provenance.events.map { event in
                ProofEvent(
                    index: event.index, contract: event.contract, name: event.name, fields: event.fields,
                    leaf_hash: event.leafHash, proof: event.proof)
            },
            entries: Dictionary(
                provenance.events.compactMap { event in event.entry.map { (String(event.index), Data($0).base64EncodedString()) } },
                uniquingKeysWith: { first, _ in first }))
        proofData = Self.scriptSafeJSON(data)
    }

    /// JSON that cannot end its `<script>` element: every `<` written as `\u003c`.
    static func scriptSafeJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return text.replacingOccurrences(of: "<", with: "\\u003c")
    }
}

// A listing's events are rows of the page's longest table: their fields are looked up by name, not by reflection.
extension ListingPageModel.Event: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "position": position
        case "index": index
        case "isoTime": isoTime
        case "displayTime": displayTime
        case "contract": contract
        case "name": self.name
        case "fieldsText": fieldsText
        case "proved": proved
        case "transaction": transaction
        case "block": block
        default: nil
        }
    }
}
