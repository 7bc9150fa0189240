import ArgumentParser
import Foundation
import NIOHTTP1
import Ledger
import LightboxCrypto

struct BuyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buy",
        abstract: "Buy a licence to a listing with one signed purchase: the price goes into escrow until you accept or the deadline passes.",
        discussion: "The dataset's key is sealed to your account's X25519 key; `lightbox pull` then downloads, decrypts and checks it."
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The listing id.") var listing: UInt64
    @Flag(help: "Return at once instead of waiting for the delivery.") var noWait = false

    func run() async throws {
        try await CommandFailure.guarding {
            let market = try await client.signedIn()
            let (id, card) = try await market.buy(listing: listing)
            if !client.json { ClientOutput.note("purchase \(id): \(ClientOutput.string(card, "price")) tokens in escrow; waiting for delivery") }
            let purchase = try await market.purchaseAfterDelivery(id, timeout: noWait ? 0 : 120)
            ClientOutput.show(purchase, json: client.json) {
                let s = { ClientOutput.string(purchase, $0) }
                return ["purchase \(id) of listing \(listing): \(s("escrow")), licence \(s("licence")); accept or dispute by \(ClientOutput.time(purchase["acceptance_deadline"]))",
                        "next: lightbox pull \(id) --output DIR"]
            }
        }
    }
}

struct AcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept a delivered purchase: the escrow pays the seller now.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "The purchase id.") var purchase: UInt64

    func run() async throws {
        try await CommandFailure.guarding {
            let receipt = try await client.signedIn().submit(.accept(purchase: purchase))
            ClientOutput.show(receipt, json: client.json) { ["purchase \(purchase) accepted; the seller is paid (ledger entry \(ClientOutput.string(receipt, "index")))"] }
        }
    }
}

struct LicenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "licence", abstract: "Licences.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A purchase's licence, escrow and dispute.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "The purchase id (a licence has its purchase's id).") var purchase: UInt64

        func run() async throws {
            try await CommandFailure.guarding {
                let record = try await client.signedIn().call(.GET, "/v1/purchases/\(purchase)")
                ClientOutput.show(record, json: client.json) {
                    let s = { ClientOutput.string(record, $0) }
                    var lines = [
                        "licence \(purchase) to listing \(s("listing_id")): \(s("licence"))\(record["licence_expires_at"] is Int ? " until \(ClientOutput.time(record["licence_expires_at"]))" : "")",
                        "  buyer \(s("buyer")), seller \(s("seller")), price \(s("price")) tokens, escrow \(s("escrow"))",
                        "  bought \(ClientOutput.time(record["purchased_at"])), delivered \(ClientOutput.time(record["delivered_at"]))",
                    ]
                    if let dispute = record["dispute"] as? [String: Any] {
                        lines.append("  dispute: arbiter \(ClientOutput.string(dispute, "arbiter")), evidence until \(ClientOutput.time(dispute["evidence_deadline"]))")
                        for evidence in dispute["evidence"] as? [[String: Any]] ?? [] {
                            lines.append("    evidence from \(ClientOutput.string(evidence, "party")): ipfs://\(ClientOutput.string(evidence, "cid"))")
                        }
                        if let share = dispute["buyer_share_bps"] as? Int { lines.append("  ruled: \(Double(share) / 100) % of the price to the buyer") }
                    }
                    return lines
                }
            }
        }
    }
}
