import ArgumentParser
import Foundation
import Ledger
import MarketAPI
import Marketplace
import NIOHTTP1

struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Disputes: open one before the acceptance deadline, add evidence, read both sides, and (as the assigned arbiter) rule.",
        subcommands: [Open.self, Evidence.self, Show.self, Rule.self, List.self]
    )

    /// What `open` and `evidence` take: the purchase, and the evidence document to store for it.
    struct EvidenceOptions: ParsableArguments {
        @OptionGroup var client: ClientOptions
        @Argument(help: "The purchase id.") var purchase: UInt64
        @Option(help: "The evidence's title; for a new dispute, what is wrong, in a line.") var reason: String
        @Option(help: "The details.") var details = ""
        @Option(help: "An ERC-1497 JSON file to merge into the evidence (fileURI of screenshots, etc.).") var file: String?

        /// The ERC-1497 evidence document: the title and details, merged with the file's fields.
        func document() throws -> JSONValue {
            var fields: [String: JSONValue] = ["name": .string(reason), "description": .string(details)]
            if let file {
                guard let data = FileManager.default.contents(atPath: file), case .object(let extra)? = try? JSONValue.parse(Array(data)) else {
                    throw CommandError("\(file) is not a JSON object of text fields; evidence files are ERC-1497 JSON (fileURI, fileHash, fileTypeExtension)")
                }
                fields.merge(extra) { mine, _ in mine }
            }
            return .object(fields)
        }

        /// Stores the evidence document on the server's node and submits `action` with its CID.
        func submit(with market: MarketClient, _ action: (String) -> LedgerAction) async throws -> (receipt: IntentReceipt, cid: String) {
            let stored = try await market.send(.POST, "/v1/evidence", json: try document(), as: EvidenceStored.self)
            return (try await market.submit(action(stored.cid)), stored.cid)
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open a dispute with your evidence; you deposit the arbitration fee, which pays the arbiter.",
            discussion: "The fee is said before it is taken; on a terminal you are asked to confirm (--yes skips the question).")
        @OptionGroup var evidence: EvidenceOptions
        @Flag(help: "Do not ask before depositing the arbitration fee.") var yes = false

        func run() async throws {
            try await CommandFailure.guarding {
                let purchase = evidence.purchase
                let market = try await evidence.client.signedIn()
                let fee = try TokenAmount(units: try await market.ledger().arbitrationFeeUnits)
                ClientOutput.note("opening a dispute on purchase \(purchase) deposits the arbitration fee, \(fee.tokenString) tokens, which pays the arbiter")
                if !yes, isatty(STDIN_FILENO) == 1 {
                    FileHandle.standardError.write(Data("deposit \(fee.tokenString) tokens and open the dispute? [y/N] ".utf8))
                    guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                        throw CommandError("no dispute opened; nothing was deposited")
                    }
                }
                let (receipt, cid) = try await evidence.submit(with: market) { .openDispute(purchase: purchase, evidenceCID: $0) }
                let fields = receipt.event("DisputeOpened")?.fields ?? [:]
                ClientOutput.show(receipt, json: evidence.client.json) {
                    ["dispute on purchase \(purchase) opened with evidence ipfs://\(cid); arbiter \(fields["arbiter"] ?? "?"), "
                        + "evidence until \(ClientOutput.time(fields["evidenceDeadline"].flatMap { UInt64($0) }))"]
                }
            }
        }
    }

    struct Evidence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "evidence", abstract: "Add evidence to an open dispute (buyer or seller).")
        @OptionGroup var evidence: EvidenceOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let purchase = evidence.purchase
                let market = try await evidence.client.signedIn()
                let (receipt, cid) = try await evidence.submit(with: market) { .submitEvidence(purchase: purchase, evidenceCID: $0) }
                ClientOutput.show(receipt, json: evidence.client.json) { ["evidence ipfs://\(cid) added to the dispute on purchase \(purchase)"] }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A dispute as its arbiter reads it: both sides' evidence documents, fetched by CID through the node's gateway and checked against it.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The purchase id.") var purchase: UInt64

        func run() async throws {
            try await CommandFailure.guarding {
                let market = try await client.signedIn()
                let record = try await market.get("/v1/purchases/\(purchase)", as: PurchaseView.self)
                guard let dispute = record.dispute else {
                    throw CommandError("purchase \(purchase) is not disputed (it is \(record.escrow)); `lightbox licence show \(purchase)` shows it")
                }
                let documents = try await EvidenceReader(market: market).documents(dispute.evidence, buyer: record.buyer)
                ClientOutput.show(DisputeDocuments(purchase: record, evidence: documents), json: client.json) {
                    var lines = [PurchaseLines.summary(record, as: nil), "  buyer \(record.buyer), seller \(record.seller)"]
                    lines += PurchaseLines.dispute(dispute).prefix(1)
                    for document in documents { lines += document.lines }
                    if dispute.buyerShareBps == nil, !documents.contains(where: { $0.side == "seller" }) {
                        lines.append("  the seller has sent no evidence yet")
                    }
                    return lines
                }
            }
        }
    }

    struct Rule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rule", abstract: "Rule on a dispute assigned to you: refund, release, or a split given as the buyer's share.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The purchase id.") var purchase: UInt64
        @Flag(help: "The whole price back to the buyer (the licence is revoked).") var refund = false
        @Flag(help: "The whole price to the seller.") var release = false
        @Option(help: "The buyer's share of the price in basis points (0–10000), for a split.") var buyerBps: UInt64?

        func run() async throws {
            try await CommandFailure.guarding {
                let choices = [refund ? 10_000 : nil, release ? 0 : nil, buyerBps].compactMap { $0 }
                guard choices.count == 1, let share = choices.first else {
                    throw CommandError("give exactly one of --refund, --release or --buyer-bps N")
                }
                let basisPoints: BasisPoints
                do { basisPoints = try BasisPoints(share) } catch { throw CommandError("--buyer-bps is from 0 to 10000") }
                let receipt = try await client.signedIn().submit(.rule(purchase: purchase, buyerShare: basisPoints))
                ClientOutput.show(receipt, json: client.json) {
                    ["ruled on purchase \(purchase): \(Double(share) / 100) % to the buyer (\(receipt.events.map(\.name).joined(separator: ", ")))"]
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Your queue of assigned disputes, as an arbiter.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let queue = try await client.signedIn().get("/v1/disputes", as: Page<PurchaseView>.self)
                ClientOutput.show(queue, json: client.json) {
                    queue.items.isEmpty ? ["no disputes assigned to you"] : queue.items.map { item in
                        "purchase \(item.purchaseID) (listing \(item.listingID), \(item.price) tokens): "
                            + "\(item.dispute?.evidence.count ?? 0) pieces of evidence, evidence until \(ClientOutput.time(item.dispute?.evidenceDeadline)); "
                            + "read them with `lightbox dispute show \(item.purchaseID)`"
                    }
                }
            }
        }
    }
}
