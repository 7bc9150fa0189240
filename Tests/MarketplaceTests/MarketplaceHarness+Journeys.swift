import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Testing
import Vision

/// Steps the journeys share: signing and submitting intents as a client would, publishing a listing, and waiting.
extension MarketplaceHarness {
    /// `action` signed by `key` with its account's next nonce, in wire form.
    func signed(_ action: LedgerAction, by key: Secp256k1.PrivateKey) async throws -> [UInt8] {
        let account = EthereumAddress(publicKey: key.publicKey)
        let ledger = market.ledger
        let nonce = try await ledger.nextNonce(of: account, for: action.typeName)
        let deadline = UInt64(Date().timeIntervalSince1970) + 600
        let intent = Intent(action, account: account, nonce: nonce, deadline: deadline)
        var signed = try intent.signed(by: key, domain: ledger.domain(for: action.typeName))
        // On a chain a purchase (a dispute) carries the account's permit for the Escrow to draw the price (the
        // arbitration fee), as a wallet signs it.
        if let chain = ledger as? EVMLedger, let domain = chain.permitDomain,
           let value = TokenPermit.value(drawnBy: action, arbitrationFee: ledger.parameters.arbitrationFee)
        {
            signed.permit = try TokenPermit.sign(by: key, spender: chain.addresses.escrow, value: value,
                                                 nonce: try await chain.permitNonce(of: account), deadline: deadline, domain: domain)
        }
        return signed.wireJSON
    }

    /// Submits `action` signed by `key` to `POST /v1/intents`.
    @discardableResult
    func submit(_ action: LedgerAction, by key: Secp256k1.PrivateKey, token: String) async throws -> Reply {
        try await call(.POST, "/v1/intents", token: token, bytes: try await signed(action, by: key))
    }

    /// Signs one of the unsigned intents a publication shows.
    func sign(shown member: String, of reply: Reply, by key: Secp256k1.PrivateKey) throws -> [UInt8] {
        let shown = try #require(reply.json[member] as? [String: Any])
        let unsigned = try JSONSerialization.data(withJSONObject: shown)
        let domain = market.ledger.domain(for: shown["primaryType"] as? String ?? "")
        return try SignedIntent(wireJSON: Array(unsigned), domain: domain).intent.signed(by: key, domain: domain).wireJSON
    }

    /// Generates a small clean dataset.
    static func generate(_ root: String, seed: UInt64 = 11, defects: [PlantedDefect] = []) async throws {
        var generator = DatasetGenerator(format: .coco, imageCount: 16, seed: seed, defects: defects)
        generator.width = 96
        generator.height = 72
        let copy = generator
        _ = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try copy.generate(into: root) }) }
        }
    }

    /// Publishes `dataset` as `contributor` all the way to an active listing (approving the node as operator and
    /// signing the Mint as the CLI does); returns the listing id.
    func publishListing(_ dataset: String, by contributor: Secp256k1.PrivateKey, token: String, price: String = "25") async throws -> UInt64 {
        let upload = try await upload(dataset, token: token)
        let created = try await call(.POST, "/v1/publications", token: token, json: [
            "upload_id": upload, "title": "Street scenes", "task": "detection", "price": price, "licence": "commercial",
        ])
        let id = try #require((created.json["publication"] as? [String: Any])?["id"] as? String)
        let stored = try await waitForPublication(id, token: token, states: ["awaiting_signature", "rejected", "failed"])
        if stored.json["operator_intent"] != nil {
            let approval = try await call(.POST, "/v1/intents", token: token, bytes: try sign(shown: "operator_intent", of: stored, by: contributor))
            #expect(approval.status == 201, "\(String(decoding: approval.body, as: UTF8.self))")
        }
        let minting = try await call(.POST, "/v1/publications/\(id)/mint", token: token, bytes: try sign(shown: "mint_intent", of: stored, by: contributor))
        #expect(minting.status == 202, "\(String(decoding: minting.body, as: UTF8.self))")
        let active = try await waitForPublication(id, token: token, states: ["active", "failed"])
        return UInt64(try #require((active.json["publication"] as? [String: Any])?["listing_id"] as? Int))
    }

    /// Polls `GET /v1/purchases/{id}` until its escrow is one of `states` (or a minute passes).
    func waitForPurchase(_ id: UInt64, token: String, escrow states: Set<String>) async throws -> Reply {
        for _ in 0..<600 {
            let reply = try await call(.GET, "/v1/purchases/\(id)", token: token)
            if let escrow = reply.json["escrow"] as? String, states.contains(escrow) { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("purchase \(id) never reached \(states)")
        return try await call(.GET, "/v1/purchases/\(id)", token: token)
    }

    /// An account's balance on the ledger.
    func balance(_ key: Secp256k1.PrivateKey) async throws -> TokenAmount {
        try await market.ledger.account(EthereumAddress(publicKey: key.publicKey)).balance
    }
}
