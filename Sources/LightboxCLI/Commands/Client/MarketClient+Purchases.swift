import ContentAddressing
import Foundation
import Ledger
import LightboxCrypto
import NIOHTTP1

extension MarketClient {
    /// Buys a licence to `listing` with one signed Purchase naming the price and terms the listing shows now (the
    /// ledger refuses it if either changed since); returns the purchase's id and the listing's card.
    func buy(listing: UInt64) async throws -> (id: UInt64, card: Object) {
        let card = try await call(.GET, "/v1/listings/\(listing)")["listing"] as? Object ?? [:]
        guard let units = (card["price_units"] as? String).flatMap({ UInt128($0) }),
              let termsHash = (card["terms_hash"] as? String).flatMap({ [UInt8](hexString: $0) }),
              let keys
        else { throw CommandError("listing \(listing) shows no price or terms") }
        let receipt = try await submit(
            .purchase(listing: listing, price: TokenAmount(units: units), termsHash: termsHash, buyerKey: keys.sealing.publicKey.bytes))
        let purchased = (receipt["events"] as? [Object] ?? []).first { $0["name"] as? String == "Purchased" }
        guard let id = ((purchased?["fields"] as? [String: String])?["purchaseId"]).flatMap(UInt64.init) else {
            throw CommandError("the ledger recorded no purchase")
        }
        return (id, card)
    }

    /// The purchase once it is no longer waiting for its delivery, or as it is after `timeout` seconds.
    func purchaseAfterDelivery(_ id: UInt64, timeout: Double) async throws -> Object {
        let start = Date()
        var purchase = try await call(.GET, "/v1/purchases/\(id)")
        while purchase["escrow"] as? String == "awaitingDelivery", Date().timeIntervalSince(start) < timeout {
            try await Task.sleep(for: .milliseconds(100))
            purchase = try await call(.GET, "/v1/purchases/\(id)")
        }
        return purchase
    }

    /// What the buyer needs to pull purchase `id`: the ciphertext's content root, the manifest's CID, and the
    /// content key sealed to the buyer's X25519 key.
    func sealedKey(of id: UInt64) async throws -> (contentRoot: CID, manifest: CID, sealed: [UInt8]) {
        let key = try await call(.GET, "/v1/purchases/\(id)/key")
        guard let root = (key["content_root"] as? String).flatMap({ try? CID($0) }),
              let manifest = (key["manifest_cid"] as? String).flatMap({ try? CID($0) }),
              let sealed = (key["sealed_key"] as? String).flatMap({ [UInt8](hexString: $0) })
        else { throw CommandError("the server's answer for purchase \(id) lacks its content root, manifest or key") }
        return (root, manifest, sealed)
    }
}
