import ArgumentParser
import Foundation
import NIOHTTP1
import Ledger

struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Disputes: open one before the acceptance deadline, add evidence, and (as the assigned arbiter) rule.",
        subcommands: [Open.self, Evidence.self, Rule.self, List.self]
    )

    /// What `open` and `evidence` take: the purchase, and the evidence document to store for it.
    struct EvidenceOptions: ParsableArguments {
        @OptionGroup var client: ClientOptions
        @Argument(help: "The purchase id.") var purchase: UInt64
        @Option(help: "The evidence's title; for a new dispute, what is wrong, in a line.") var reason: String
        @Option(help: "The details.") var details = ""
        @Option(help: "An ERC-1497 JSON file to merge into the evidence (fileURI of screenshots, etc.).") var file: String?

        /// Signs in, stores the ERC-1497 evidence document on the server's node, and submits `action` with its CID.
        func submit(_ action: (String) -> LedgerAction) async throws -> (receipt: MarketClient.Object, cid: String) {
            let market = try await client.signedIn()
            var document: [String: Any] = ["name": reason, "description": details]
            if let file {
                guard let data = FileManager.default.contents(atPath: file),
                      let extra = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                else { throw CommandError("\(file) is not a JSON object; evidence files are ERC-1497 JSON (fileURI, fileHash, fileTypeExtension)") }
                document.merge(extra) { mine, _ in mine }
            }
            guard let cid = try await market.call(.POST, "/v1/evidence", json: document)["cid"] as? String else {
                throw CommandError("the server stored no evidence")
            }
            return (try await market.submit(action(cid)), cid)
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Open a dispute with your evidence; you deposit the arbitration fee.")
        @OptionGroup var evidence: EvidenceOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let purchase = evidence.purchase
                let (receipt, cid) = try await evidence.submit { .openDispute(purchase: purchase, evidenceCID: $0) }
                let opened = (receipt["events"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "DisputeOpened" }
                let fields = opened?["fields"] as? [String: String] ?? [:]
                ClientOutput.show(receipt, json: evidence.client.json) {
                    ["dispute on purchase \(purchase) opened with evidence ipfs://\(cid); arbiter \(fields["arbiter"] ?? "?"), evidence until \(ClientOutput.time(Int(fields["evidenceDeadline"] ?? "")))"]
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
                let (receipt, cid) = try await evidence.submit { .submitEvidence(purchase: purchase, evidenceCID: $0) }
                ClientOutput.show(receipt, json: evidence.client.json) { ["evidence ipfs://\(cid) added to the dispute on purchase \(purchase)"] }
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
                let names = (receipt["events"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                ClientOutput.show(receipt, json: client.json) { ["ruled on purchase \(purchase): \(Double(share) / 100) % to the buyer (\(names.joined(separator: ", ")))"] }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Your queue of assigned disputes, as an arbiter.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let queue = try await client.signedIn().call(.GET, "/v1/disputes")
                let items = queue["items"] as? [[String: Any]] ?? []
                ClientOutput.show(queue, json: client.json) {
                    items.isEmpty ? ["no disputes assigned to you"] : items.map { item in
                        let dispute = item["dispute"] as? [String: Any] ?? [:]
                        return "purchase \(ClientOutput.string(item, "purchase_id")) (listing \(ClientOutput.string(item, "listing_id")), \(ClientOutput.string(item, "price")) tokens): "
                            + "\((dispute["evidence"] as? [Any])?.count ?? 0) pieces of evidence, evidence until \(ClientOutput.time(dispute["evidence_deadline"]))"
                    }
                }
            }
        }
    }
}
