import Foundation
import JobQueue
import Ledger
public import Logging

/// The owner's half of minting: the unsigned Mint intent the owner is shown, and the check of the signed intent
/// they send back before `ledger.mint` is enqueued. The server never holds an account's key: the listing is
/// minted by the owner's own signature.
public struct PublicationMinting: Sendable {
    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    /// How long the owner has to sign.
    static let signingWindow: UInt64 = 3600

    /// The intents the owner signs for `publication`, in wire form with empty signatures and consecutive nonces:
    /// the approval of the node as the owner's operator (so the node can deliver to buyers while the owner is
    /// away) when it is not given yet, then the Mint. Empty until the dataset is stored.
    public func unsignedIntents(for publication: Publication) async throws -> (operator: [UInt8]?, mint: [UInt8])? {
        guard let request = publication.mintRequest else { return nil }
        let account = try await market.ledger.account(publication.owner)
        // SetOperator and Mint are both the registry's: one domain, consecutive nonces, on either ledger.
        let domain = market.ledger.domain(for: "Mint")
        let deadline = UInt64(Date().timeIntervalSince1970) + Self.signingWindow
        var nonce = try await market.ledger.nextNonce(of: publication.owner, for: "Mint")
        var approval: [UInt8]?
        if !account.approves(market.node.address) {
            let intent = Intent(.setOperator(market.node.address, active: true), account: publication.owner, nonce: nonce, deadline: deadline)
            approval = SignedIntent(intent: intent, domain: domain, signature: []).wireJSON
            nonce += 1
        }
        let mint = Intent(.mint(request), account: publication.owner, nonce: nonce, deadline: deadline)
        return (approval, SignedIntent(intent: mint, domain: domain, signature: []).wireJSON)
    }

    /// Checks the owner's signed Mint intent and enqueues `ledger.mint` with it.
    /// - Throws: ``MarketplaceError`` `.conflict` when the publication is not waiting for a signature or the owner
    ///   has not approved the node as operator (submit the `operator_intent` first),
    ///   `.unprocessable` when the intent is not this publication's Mint signed by its owner; ``LedgerError`` when the
    ///   ledger would refuse it (expired, nonce used, bad signature).
    public func accept(_ wireJSON: [UInt8], for publication: Publication, logger: Logger) async throws -> Publication {
        guard publication.state == .awaitingSignature || publication.state == .failed, let request = publication.mintRequest else {
            throw MarketplaceError(.conflict, "publication \(publication.id) is \(publication.state.rawValue), not waiting for its Mint signature")
        }
        let ledger = market.ledger
        let signed = try ledger.signedIntent(wireJSON: wireJSON)
        guard signed.intent.account == publication.owner, (try? signed.intent.action()) == .mint(request) else {
            throw MarketplaceError(
                .unprocessable, "the intent is not publication \(publication.id)'s Mint by its owner; sign the mint_intent the publication shows")
        }
        let account = try await ledger.account(publication.owner)
        guard account.approves(market.node.address) else {
            throw MarketplaceError(
                .conflict,
                "approve this node (\(market.node.address)) as your operator first, so it can deliver to buyers: sign the operator_intent the publication shows and POST it to /v1/intents")
        }
        try IntentVerifier(domain: ledger.domain(for: "Mint")).verify(
            signed, expectedNonce: try await ledger.nextNonce(of: publication.owner, for: "Mint"), now: UInt64(Date().timeIntervalSince1970))
        let intent = String(decoding: signed.wireJSON, as: UTF8.self)
        let queue = JobQueue(database: market.database, logger: logger)
        return try await market.publications.update(publication.id, logger: logger) { publication, connection in
            guard publication.state == .awaitingSignature || publication.state == .failed else {
                throw MarketplaceError(.conflict, "publication \(publication.id) is \(publication.state.rawValue) already")
            }
            publication.state = .minting
            publication.error = nil
            try await queue.enqueue(
                LedgerMintJob.self, .init(publication: publication.id, intent: intent),
                options: .init(uniqueKey: "\(publication.id):\(signed.intent.nonce)"), on: connection)
        }
    }
}
