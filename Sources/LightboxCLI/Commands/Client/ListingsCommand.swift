import ArgumentParser
import Foundation
import NIOHTTP1

struct ListingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listings", abstract: "Search the active listings.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Words in the title, description, task or labels.") var q: String?
    @Option(help: "classification, detection, segmentation, keypoints or other.") var task: String?
    @Option(help: "A label the dataset has (repeatable).") var label: [String] = []
    @Option(help: "At least this many images.") var minImages: Int?
    @Option(help: "A quality score of at least this (0–100).") var minScore: Int?
    @Option(help: "At most this price in tokens.") var maxPrice: String?
    @Option(help: "Only listings whose licence allows commercial use (true/false).") var commercialUse: Bool?
    @Option(help: "How many (1–100).") var limit = 20

    func run() async throws {
        try await CommandFailure.guarding {
            var query: [(String, String)] = [("limit", "\(limit)")]
            if let q { query.append(("q", q)) }
            if let task { query.append(("task", task)) }
            query += label.map { ("label", $0) }
            if let minImages { query.append(("min_images", "\(minImages)")) }
            if let minScore { query.append(("min_score", "\(minScore)")) }
            if let maxPrice { query.append(("max_price", maxPrice)) }
            if let commercialUse { query.append(("commercial_use", "\(commercialUse)")) }
            let text = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? $0.1)" }
            let page = try await client.anonymous().call(.GET, "/v1/listings?" + text.joined(separator: "&"))
            let items = page["items"] as? [[String: Any]] ?? []
            ClientOutput.show(page, json: client.json) {
                items.isEmpty ? ["no listings match"] : items.map { card in
                    let s = { ClientOutput.string(card, $0) }
                    return "#\(s("listing_id"))  \(s("title"))  [\(s("task")), \(s("images")) images, score \(s("score"))]  \(s("price")) tokens  \((card["terms"] as? [String: Any]).map { ClientOutput.string($0, "template") } ?? "")"
                }
            }
        }
    }
}

struct ListingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listing", abstract: "One listing.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A listing's card and provenance: CIDs, the signed QA attestation, and its ledger events with inclusion proofs.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The listing id.") var id: UInt64

        func run() async throws {
            try await CommandFailure.guarding {
                let page = try await client.anonymous().call(.GET, "/v1/listings/\(id)")
                let card = page["listing"] as? [String: Any] ?? [:]
                let provenance = page["provenance"] as? [String: Any] ?? [:]
                ClientOutput.show(page, json: client.json) {
                    let s = { ClientOutput.string(card, $0) }
                    let p = { ClientOutput.string(provenance, $0) }
                    var lines = [
                        "#\(s("listing_id"))  \(s("title"))", "  \(s("description"))",
                        "  task \(s("task")), \(s("images")) images, \(s("annotations")) annotations, labels \((card["labels"] as? [String] ?? []).joined(separator: ", "))",
                        "  quality score \(s("score")); price \(p("price")) tokens; \(p("for_sale") == "1" || p("for_sale") == "true" ? "for sale" : "not for sale")",
                        "  licence \((card["terms"] as? [String: Any]).map { ClientOutput.string($0, "template") } ?? "") (terms hash \(s("terms_hash")))",
                        "  owner \(p("owner")), creator \(p("creator"))",
                        "  content root \(p("content_root")); manifest \(p("manifest_cid")); report \(p("report_cid"))",
                        provenance["chain_id"] != nil
                            ? "  attested by QA key \(p("attestation_key").prefix(16))…; on chain \(p("chain_id"))"
                            : "  attested by QA key \(p("attestation_key").prefix(16))…; ledger root \(p("root_hash").prefix(16))… at size \(p("tree_size"))",
                    ]
                    for event in provenance["events"] as? [[String: Any]] ?? [] {
                        let location = event["transaction"] != nil
                            ? "transaction \(ClientOutput.string(event, "transaction")) in block \(ClientOutput.string(event, "block"))"
                            : "proof of \((event["proof"] as? [Any])?.count ?? 0) hashes"
                        lines.append("  entry \(ClientOutput.string(event, "index")) \(ClientOutput.time(event["time"])) \(ClientOutput.string(event, "name")) (\(location))")
                    }
                    return lines
                }
            }
        }
    }
}
