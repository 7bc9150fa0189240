import Foundation
import Hummingbird
import Ledger
import LightboxCrypto
import Marketplace

/// Buying and disputes: `POST /v1/intents` submits the signed-in account's own intents (a purchase, an acceptance,
/// a dispute, evidence, a ruling, …); `GET /v1/purchases[/{id}]` shows escrows and licences to their parties and
/// arbiter; `GET /v1/purchases/{id}/key` gives the content key sealed to the buyer, to the buyer alone and only
/// while the licence is active; `POST /v1/evidence` stores an evidence document and returns its CID;
/// `GET /v1/disputes` is an arbiter's queue.
struct PurchaseRoutes {
    let market: Marketplace

    struct Submitted: Encodable {
        let index: UInt64
        let time: UInt64
        let events: [Event]

        struct Event: Encodable {
            let contract: String
            let name: String
            let fields: [String: String]
        }
    }

    struct SealedKey: Encodable {
        let purchase_id: UInt64
        let listing_id: UInt64
        let dataset_id: String
        let content_root: String
        let manifest_cid: String
        let sealed_key: String
        let buyer_key: String
    }

    struct EvidenceStored: Encodable {
        let cid: String
        let uri: String
    }

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/intents") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let body = try await MarketplaceHTTP.jsonBytes(request)
            let receipt = try await MarketplaceHTTP.mapping {
                try await IntentSubmission(market: market).submit(body, by: account, logger: context.logger)
            }
            return try MarketplaceHTTP.json(
                Submitted(
                    index: receipt.index, time: receipt.time,
                    events: receipt.events.map { .init(contract: $0.contract, name: $0.name, fields: $0.fields) }),
                status: .created)
        }
        router.get("v1/purchases") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let query = request.uri.queryParameters
            let role = query["role"].map(String.init)
            guard role == nil || ["buyer", "seller", "arbiter"].contains(role!) else {
                throw MarketplaceHTTP.badRequest("role is buyer, seller or arbiter")
            }
            let limit = try PublicationRoutes.limit(query["limit"].map(String.init))
            let before = try query["cursor"].map { text in
                guard let id = UInt64(text) else { throw MarketplaceHTTP.badRequest("cursor is the next_cursor of the previous page") }
                return id
            }
            let state = await market.ledger.state
            let now = UInt64(Date().timeIntervalSince1970)
            let mine = state.purchases.values
                .filter { purchase in
                    let roles = Self.roles(of: account, in: purchase)
                    return (role.map { roles.contains($0) } ?? !roles.isEmpty) && before.map { purchase.id < $0 } ?? true
                }
                .sorted { $0.id > $1.id }
                .prefix(limit)
            return try MarketplaceHTTP.json(
                PublicationRoutes.Page(
                    items: mine.map { PurchaseView($0, now: now) },
                    next_cursor: mine.count == limit ? mine.last.map { String($0.id) } : nil))
        }
        router.get("v1/purchases/:id") { request, context in
            let (_, purchase) = try await involved(request, context)
            return try MarketplaceHTTP.json(PurchaseView(purchase, now: UInt64(Date().timeIntervalSince1970)))
        }
        router.get("v1/purchases/:id/key") { request, context in
            let (account, purchase) = try await involved(request, context)
            guard account == purchase.buyer else { throw MarketplaceHTTP.forbidden("only the buyer of purchase \(purchase.id) gets its key") }
            let licence = purchase.licenceStatus(at: UInt64(Date().timeIntervalSince1970))
            guard licence == .active else {
                throw MarketplaceHTTP.forbidden("the licence of purchase \(purchase.id) is \(licence.rawValue); its key is no longer given out")
            }
            guard let sealed = purchase.sealedKey,
                  let listing = await market.ledger.state.listings[purchase.listingID],
                  let card = try await market.listings.card(purchase.listingID, logger: context.logger)
            else {
                throw ErrorResponse(
                    status: .conflict, code: "conflict",
                    message: "purchase \(purchase.id) is \(purchase.escrow.rawValue): the key is sealed to you once it is delivered")
            }
            return try MarketplaceHTTP.json(
                SealedKey(
                    purchase_id: purchase.id, listing_id: purchase.listingID, dataset_id: card.publicationID,
                    content_root: listing.contentRoot, manifest_cid: listing.manifestCID, sealed_key: sealed.hexString,
                    buyer_key: purchase.buyerKey.hexString))
        }
        router.post("v1/evidence") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let body = try await MarketplaceHTTP.jsonBytes(request, limit: EvidenceStore.maxBytes)
            let cid = try await MarketplaceHTTP.mapping {
                try await EvidenceStore(market: market).store(body, by: account, logger: context.logger)
            }
            return try MarketplaceHTTP.json(EvidenceStored(cid: cid, uri: "ipfs://\(cid)"), status: .created)
        }
        router.get("v1/disputes") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let state = await market.ledger.state
            guard state.governance.arbiters.contains(account) || state.purchases.values.contains(where: { $0.dispute?.arbiter == account }) else {
                throw MarketplaceHTTP.forbidden("\(account) is not an arbiter; governance registers arbiters")
            }
            let now = UInt64(Date().timeIntervalSince1970)
            let queue = state.purchases.values
                .filter { $0.escrow == .disputed && $0.dispute?.arbiter == account }
                .sorted { ($0.dispute?.evidenceDeadline ?? 0, $0.id) < ($1.dispute?.evidenceDeadline ?? 0, $1.id) }
            return try MarketplaceHTTP.json(PublicationRoutes.Page(items: queue.map { PurchaseView($0, now: now) }, next_cursor: nil))
        }
    }

    /// The roles `account` plays in `purchase`.
    static func roles(of account: EthereumAddress, in purchase: PurchaseRecord) -> Set<String> {
        var roles = Set<String>()
        if purchase.buyer == account { roles.insert("buyer") }
        if purchase.seller == account { roles.insert("seller") }
        if purchase.dispute?.arbiter == account { roles.insert("arbiter") }
        return roles
    }

    /// The purchase of the path, for its buyer, seller or arbiter (or governance).
    private func involved(_ request: Request, _ context: LightboxRequestContext) async throws -> (EthereumAddress, PurchaseRecord) {
        let account = try await MarketplaceHTTP.account(request, market: market, context: context)
        let text = context.parameters.get("id") ?? ""
        guard let id = UInt64(text) else { throw MarketplaceHTTP.badRequest("a purchase id is a whole number, not \"\(text.prefix(40))\"") }
        let state = await market.ledger.state
        guard let purchase = state.purchases[id] else { throw MarketplaceHTTP.notFound("there is no purchase \(id)") }
        guard !Self.roles(of: account, in: purchase).isEmpty || account == state.parameters.governance else {
            throw MarketplaceHTTP.forbidden("purchase \(id) is shown to its buyer, its seller and its arbiter only")
        }
        return (account, purchase)
    }
}
