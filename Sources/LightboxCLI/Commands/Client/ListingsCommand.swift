import ArgumentParser
import Foundation
import Ledger
import MarketAPI
import Marketplace

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
    @Option(help: "Only the listings of this account (an address).") var owner: String?
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
            if let owner { query.append(("owner", owner)) }
            let text = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? $0.1)" }
            let page = try await client.anonymous().get("/v1/listings?" + text.joined(separator: "&"), as: Page<ListingCard>.self)
            ClientOutput.show(page, json: client.json) {
                page.items.isEmpty ? ["no listings match"] : page.items.map { card in
                    "#\(card.listingID)  \(card.title)  [\(card.task), \(card.images) images, score \(card.score)]  \(card.price) tokens  \(card.terms.template)"
                }
            }
        }
    }
}

struct ListingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listing", abstract: "One listing.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A listing: its quality summary, its licence in words, and its provenance (CIDs, the signed QA attestation, ledger events with inclusion proofs).",
            discussion: "--previews DIR saves the preview images, each checked against the CID the listing names.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The listing id.") var id: UInt64
        @Option(help: "Save the listing's preview images into this directory.") var previews: String?

        func run() async throws {
            try await CommandFailure.guarding {
                let market = client.anonymous()
                let page = try await market.get("/v1/listings/\(id)", as: ListingResponse.self)
                var saved: [String] = []
                if let previews { saved = try await PreviewSaver(market: market).save(page.listing, into: previews) }
                ClientOutput.show(page, json: client.json) {
                    ListingLines.lines(page) + saved.map { "  preview saved: \($0)" }
                }
            }
        }
    }
}

/// Saves a listing's previews, each fetched by the CID on its card and checked against it before it is written.
struct PreviewSaver {
    let market: MarketClient

    func save(_ card: ListingCard, into directory: String) async throws -> [String] {
        let cids = card.previews ?? []
        guard !cids.isEmpty else { throw CommandError("listing \(card.listingID) has no previews") }
        try SavedFiles.directory(directory)
        let files = GatewayFiles(market: market)
        var paths: [String] = []
        for (index, cid) in cids.enumerated() {
            paths.append(try SavedFiles.write(try await files.file(cid), to: directory, as: "listing-\(card.listingID)-preview-\(index).jpg"))
        }
        return paths
    }
}
