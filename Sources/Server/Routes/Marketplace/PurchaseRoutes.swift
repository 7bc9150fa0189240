import Foundation
import Hummingbird
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace

/// Buying and disputes: `POST /v1/intents` submits the signed-in account's own intents (a purchase, an acceptance,
/// a dispute, evidence, a ruling, …); `GET /v1/purchases[/{id}]` shows escrows and licences to their parties and
/// arbiter; `GET /v1/purchases/{id}/key` gives the content key sealed to the buyer, to the buyer alone and only
/// while the licence is active; `POST /v1/evidence` stores an evidence document and returns its CID;
/// `GET /v1/disputes` is an arbiter's queue.
struct PurchaseRoutes {
    let market: Marketplace

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/intents") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let body = try await MarketplaceHTTP.jsonBytes(request)
            let outcome = try await MarketplaceHTTP.mapping {
                try await IntentSubmission(market: market).submit(body, by: account, logger: context.logger)
            }
            switch outcome {
            case .applied(let receipt):
                return try MarketplaceHTTP.json(
                    IntentReceipt(
                        index: receipt.index, time: receipt.time,
                        events: receipt.events.map { .init(contract: $0.contract, name: $0.name, fields: $0.fields) }),
                    status: .created)
            case .queued(let reason):
                return try MarketplaceHTTP.json(IntentQueued(message: reason), status: .accepted)
            }
        }
        router.get("v1/purchases") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let query = request.uri.queryParameters
            let role = try query["role"].map { text in
                guard let role = PurchaseProjection.Role(rawValue: String(text)) else {
                    throw MarketplaceHTTP.badRequest("role is buyer, seller or arbiter")
                }
                return role
            }
            let limit = try PublicationRoutes.limit(query["limit"].map(String.init))
            let before = try query["cursor"].map { text in
                guard let id = UInt64(text) else { throw MarketplaceHTTP.badRequest("cursor is the next_cursor of the previous page") }
                return id
            }
            let now = UInt64(Date().timeIntervalSince1970)
            let mine = try await PurchaseAccess(market: market).page(of: account, role: role, before: before, limit: limit, logger: context.logger)
            return try MarketplaceHTTP.json(
                Page(
                    items: mine.map { PurchaseView($0, now: now) },
                    nextCursor: mine.count == limit ? mine.last.map { String($0.id) } : nil))
        }
        router.get("v1/purchases/:id") { request, context in
            let purchase = try await involved(request, context)
            return try MarketplaceHTTP.json(PurchaseView(purchase, now: UInt64(Date().timeIntervalSince1970)))
        }
        router.get("v1/purchases/:id/key") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let id = try Self.purchaseID(context)
            let delivery = try await MarketplaceHTTP.mapping {
                try await PurchaseAccess(market: market).delivery(id, for: account, logger: context.logger)
            }
            return try MarketplaceHTTP.json(
                SealedKeyResponse(
                    purchaseID: delivery.purchase.id, listingID: delivery.purchase.listingID, datasetID: delivery.card.publicationID,
                    contentRoot: delivery.listing.contentRoot, manifestCID: delivery.listing.manifestCID,
                    sealedKey: delivery.sealedKey.hexString, buyerKey: delivery.purchase.buyerKey.hexString))
        }
        router.post("v1/evidence") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let body = try await MarketplaceHTTP.jsonBytes(request, limit: EvidenceStore.maxBytes)
            let cid = try await MarketplaceHTTP.mapping {
                try await EvidenceStore(market: market).store(body, by: account, logger: context.logger)
            }
            return try MarketplaceHTTP.json(EvidenceStored(cid: cid), status: .created)
        }
        router.get("v1/disputes") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let queue = try await MarketplaceHTTP.mapping {
                try await PurchaseAccess(market: market).disputeQueue(of: account, logger: context.logger)
            }
            let now = UInt64(Date().timeIntervalSince1970)
            return try MarketplaceHTTP.json(Page(items: queue.map { PurchaseView($0, now: now) }, nextCursor: nil))
        }
    }

    private static func purchaseID(_ context: LightboxRequestContext) throws -> UInt64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = UInt64(text) else { throw MarketplaceHTTP.badRequest("a purchase id is a whole number, not \"\(text.prefix(40))\"") }
        return id
    }

    /// The purchase of the path, for its buyer, seller or arbiter (or governance).
    private func involved(_ request: Request, _ context: LightboxRequestContext) async throws -> PurchaseRecord {
        let account = try await MarketplaceHTTP.account(request, market: market, context: context)
        let id = try Self.purchaseID(context)
        return try await MarketplaceHTTP.mapping { try await PurchaseAccess(market: market).purchase(id, for: account) }
    }
}
