import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

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
            if !client.json { ClientOutput.note("purchase \(id): \(card.price) tokens in escrow; waiting for delivery") }
            let purchase = try await market.purchaseAfterDelivery(id, timeout: noWait ? 0 : 120)
            ClientOutput.show(purchase, json: client.json) {
                let by = purchase.acceptanceDeadline.map { "accept or dispute by \(ClientOutput.time($0))" }
                    ?? "the seller delivers by \(ClientOutput.time(purchase.deliveryDeadline))"
                return ["purchase \(id) of listing \(listing): \(purchase.escrow), licence \(purchase.licence); \(by)",
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
            ClientOutput.show(receipt, json: client.json) { ["purchase \(purchase) accepted; the seller is paid (ledger entry \(receipt.index))"] }
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
                let record = try await client.signedIn().get("/v1/purchases/\(purchase)", as: PurchaseView.self)
                ClientOutput.show(record, json: client.json) {
                    var lines = [
                        "licence \(purchase) to listing \(record.listingID): \(record.licence)"
                            + (record.licenceExpiresAt.map { " until \(ClientOutput.time($0))" } ?? ""),
                        "  buyer \(record.buyer), seller \(record.seller), price \(record.price) tokens, escrow \(record.escrow)",
                        "  bought \(ClientOutput.time(record.purchasedAt)), delivered \(ClientOutput.time(record.deliveredAt))",
                    ]
                    if let dispute = record.dispute { lines += PurchaseLines.dispute(dispute) }
                    return lines
                }
            }
        }
    }
}
