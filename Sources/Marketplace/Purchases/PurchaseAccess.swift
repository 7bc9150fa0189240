import Foundation
public import Ledger
public import LightboxCrypto
public import Logging

/// Who may see which purchases, and what they see: a purchase is shown to its buyer, its seller, its assigned
/// arbiter and governance; its sealed key to the buyer alone while the licence is active; an arbiter's queue to
/// registered arbiters (and anyone once assigned a dispute).
public struct PurchaseAccess: Sendable {
    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    /// The roles `account` plays in `purchase`.
    public static func roles(of account: EthereumAddress, in purchase: PurchaseRecord) -> Set<PurchaseProjection.Role> {
        var roles = Set<PurchaseProjection.Role>()
        if purchase.buyer == account { roles.insert(.buyer) }
        if purchase.seller == account { roles.insert(.seller) }
        if purchase.dispute?.arbiter == account { roles.insert(.arbiter) }
        return roles
    }

    /// A page of `account`'s purchases in `role` (nil: any), newest first, below the id `before`.
    public func page(
        of account: EthereumAddress, role: PurchaseProjection.Role?, before: UInt64?, limit: Int, logger: Logger
    ) async throws -> [PurchaseRecord] {
        try await market.reactions.catchUp()  // the projection includes every entry written before this read
        return try await market.purchases.purchases(of: account, role: role, before: before, limit: limit, logger: logger)
    }

    /// Purchase `id`, for one of its parties or governance.
    /// - Throws: ``MarketplaceError`` `.notFound`, `.forbidden`.
    public func purchase(_ id: UInt64, for account: EthereumAddress) async throws -> PurchaseRecord {
        guard let purchase = try await market.ledger.purchase(id) else { throw MarketplaceError(.notFound, "there is no purchase \(id)") }
        guard !Self.roles(of: account, in: purchase).isEmpty || account == market.ledger.parameters.governance else {
            throw MarketplaceError(.forbidden, "purchase \(id) is shown to its buyer, its seller and its arbiter only")
        }
        return purchase
    }

    /// What the buyer needs to open a delivered purchase: the key sealed to it and the dataset it opens.
    public struct Delivery: Sendable {
        public let purchase: PurchaseRecord
        public let listing: ListingRecord
        public let card: ListingCard
        public let sealedKey: [UInt8]
    }

    /// The delivery of purchase `id`, for its buyer while the licence is active.
    /// - Throws: ``MarketplaceError`` `.notFound`, `.forbidden` (not the buyer, or the licence ended), `.conflict`
    ///   (not delivered yet).
    public func delivery(_ id: UInt64, for account: EthereumAddress, logger: Logger) async throws -> Delivery {
        let purchase = try await purchase(id, for: account)
        guard account == purchase.buyer else { throw MarketplaceError(.forbidden, "only the buyer of purchase \(purchase.id) gets its key") }
        let licence = purchase.licenceStatus(at: UInt64(Date().timeIntervalSince1970))
        guard licence == .active else {
            throw MarketplaceError(.forbidden, "the licence of purchase \(purchase.id) is \(licence.rawValue); its key is no longer given out")
        }
        guard let sealed = purchase.sealedKey,
              let listing = try await market.ledger.listing(purchase.listingID),
              let card = try await market.listings.card(purchase.listingID, logger: logger)
        else {
            throw MarketplaceError(
                .conflict, "purchase \(purchase.id) is \(purchase.escrow.rawValue): the key is sealed to you once it is delivered")
        }
        return Delivery(purchase: purchase, listing: listing, card: card, sealedKey: sealed)
    }

    /// The open disputes assigned to `account`, the earliest evidence deadline first.
    /// - Throws: ``MarketplaceError`` `.forbidden` for an account that is not an arbiter.
    public func disputeQueue(of account: EthereumAddress, logger: Logger) async throws -> [PurchaseRecord] {
        try await market.reactions.catchUp()  // the projection includes every entry written before this read
        if try await !market.ledger.governance().arbiters.contains(account) {
            guard try await market.purchases.hasArbitrated(account, logger: logger) else {
                throw MarketplaceError(.forbidden, "\(account) is not an arbiter; governance registers arbiters")
            }
        }
        return try await market.purchases.disputes(assignedTo: account, logger: logger)
    }
}
