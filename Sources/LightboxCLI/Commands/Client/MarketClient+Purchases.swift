import ContentAddressing
import Foundation
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

extension MarketClient {
    /// Buys a licence to `listing` with one signed Purchase naming the price and terms the listing shows now (the
    /// ledger refuses it if either changed since); returns the purchase's id and the listing's card.
    func buy(listing: UInt64) async throws -> (id: UInt64, card: ListingCard) {
        let keys = try requireKeys()
        let card = try await get("/v1/listings/\(listing)/card", as: ListingCardResponse.self).listing
        guard let units = UInt128(card.priceUnits), let termsHash = [UInt8](hexString: card.termsHash) else {
            throw CommandError("listing \(listing) shows no price or terms")
        }
        let receipt = try await submit(
            .purchase(listing: listing, price: TokenAmount(units: units), termsHash: termsHash, buyerKey: keys.sealing.publicKey.bytes))
        guard let id = receipt.event("Purchased")?.fields["purchaseId"].flatMap(UInt64.init) else {
            throw CommandError("the ledger recorded no purchase")
        }
        return (id, card)
    }

    /// The purchase once it is no longer waiting for its delivery, or as it is after `timeout` seconds.
    func purchaseAfterDelivery(_ id: UInt64, timeout: Double) async throws -> PurchaseView {
        let start = Date()
        var purchase = try await get("/v1/purchases/\(id)", as: PurchaseView.self)
        while purchase.escrow == "awaitingDelivery", Date().timeIntervalSince(start) < timeout {
            try await Task.sleep(for: .milliseconds(100))
            purchase = try await get("/v1/purchases/\(id)", as: PurchaseView.self)
        }
        return purchase
    }

    /// What the buyer needs to pull purchase `id`: the ciphertext's content root, the manifest's CID, and the
    /// content key sealed to the buyer's X25519 key.
    func sealedKey(of id: UInt64) async throws -> (contentRoot: CID, manifest: CID, sealed: [UInt8]) {
        let key = try await get("/v1/purchases/\(id)/key", as: SealedKeyResponse.self)
        guard let root = try? CID(key.contentRoot), let manifest = try? CID(key.manifestCID), let sealed = [UInt8](hexString: key.sealedKey) else {
            throw CommandError("the server's answer for purchase \(id) lacks its content root, manifest or key")
        }
        return (root, manifest, sealed)
    }
}
