public import JobQueue
import Ledger
import LightboxCrypto
import Logging
import Node
import Storage

/// `delivery.seal`: seals the dataset's content key to the X25519 key the buyer named in the purchase and records
/// the delivery on the ledger, signed by the node as the seller's operator. The escrow's acceptance period starts
/// with it.
///
/// Run again after the delivery was recorded, it does nothing; a delivery the ledger can no longer take (the
/// deadline passed, the seller withdrew the node's approval) is logged and dropped: the buyer then reclaims the price.
public struct DeliverySealJob: JobKind {
    public struct Payload: Codable, Sendable {
        public let purchase: UInt64
    }

    public static let name = "delivery.seal"
    public static var maxAttempts: Int { 10 }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let logger = context.logger
        guard let purchase = try await market.ledger.purchase(payload.purchase), purchase.escrow == .awaitingDelivery else { return }
        guard let dataset = try await market.listings.publicationID(of: purchase.listingID, logger: logger) else {
            throw MarketplaceError(.notFound, "listing \(purchase.listingID) has no card on this node, so no dataset to deliver")
        }
        let keys = ContentKeyStore(database: market.database, wrapper: market.identity.contentKeys)
        let wrapped = try await market.wrappedContentKeys.value(dataset) {
            guard let wrapped = try await keys.wrappedKey(for: dataset, logger: logger) else {
                throw StorageError(.notFound, "dataset \(dataset) has no content key on this node")
            }
            return wrapped
        }
        let sealed = try keys.seal(wrapped: wrapped, datasetID: dataset, to: try X25519.PublicKey(bytes: purchase.buyerKey))
        do {
            try await market.node.submit(.deliver(purchase: purchase.id, sealedKey: sealed))
        } catch let error as LedgerError where [.tooLate, .unauthorised, .invalidState].contains(error.code) {
            logger.warning("purchase \(purchase.id) cannot be delivered: \(error.message)")
            return
        }
        await market.reactions.requestCatchUp()
    }
}
