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

    /// The Mint intent for `publication` with the owner's next nonce, in wire form with an empty signature; nil
    /// until the dataset is stored.
    public func unsignedIntent(for publication: Publication) async -> [UInt8]? {
        guard let request = publication.mintRequest else { return nil }
        let nonce = await market.ledger.state.nextNonce(of: publication.owner)
        let intent = Intent(
            .mint(request), account: publication.owner, nonce: nonce,
            deadline: UInt64(Date().timeIntervalSince1970) + Self.signingWindow)
        return SignedIntent(intent: intent, domain: market.ledger.parameters.domain, signature: []).wireJSON
    }

    /// Checks the owner's signed Mint intent and enqueues `ledger.mint` with it.
    /// - Throws: ``MarketplaceError`` `.conflict` when the publication is not waiting for a signature,
    ///   `.unprocessable` when the intent is not this publication's Mint signed by its owner; ``LedgerError`` when the
    ///   ledger would refuse it (expired, nonce used, bad signature).
    public func accept(_ wireJSON: [UInt8], for publication: Publication, logger: Logger) async throws -> Publication {
        guard publication.state == .awaitingSignature || publication.state == .failed, let request = publication.mintRequest else {
            throw MarketplaceError(.conflict, "publication \(publication.id) is \(publication.state.rawValue), not waiting for its Mint signature")
        }
        let ledger = market.ledger
        let signed = try SignedIntent(wireJSON: wireJSON, domain: ledger.parameters.domain)
        guard signed.intent.account == publication.owner, (try? signed.intent.action()) == .mint(request) else {
            throw MarketplaceError(
                .unprocessable, "the intent is not publication \(publication.id)'s Mint by its owner; sign the mint_intent the publication shows")
        }
        let state = await ledger.state
        try IntentVerifier(domain: ledger.parameters.domain).verify(
            signed, expectedNonce: state.nextNonce(of: publication.owner), now: UInt64(Date().timeIntervalSince1970))
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
