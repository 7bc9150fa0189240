public import Ledger
import LightboxCrypto

/// A purchase as the API shows it: its escrow, its licence and any dispute, with times in Unix seconds and
/// amounts both in tokens and in base units.
public struct PurchaseView: Codable, Sendable {
    public let purchaseID: UInt64
    public let listingID: UInt64
    public let buyer: String
    public let seller: String
    public let price: String
    public let priceUnits: String
    /// `awaitingDelivery`, `delivered`, `disputed`, `released`, `refunded` or `split`.
    public let escrow: String
    /// `active`, `expired` or `revoked`.
    public let licence: String
    public let licenceExpiresAt: UInt64?
    public let purchasedAt: UInt64
    public let deliveryDeadline: UInt64
    public let deliveredAt: UInt64?
    public let acceptanceDeadline: UInt64?
    public let dispute: DisputeView?

    enum CodingKeys: String, CodingKey {
        case buyer, seller, price, escrow, licence, dispute
        case purchaseID = "purchase_id"
        case listingID = "listing_id"
        case priceUnits = "price_units"
        case licenceExpiresAt = "licence_expires_at"
        case purchasedAt = "purchased_at"
        case deliveryDeadline = "delivery_deadline"
        case deliveredAt = "delivered_at"
        case acceptanceDeadline = "acceptance_deadline"
    }

    public struct DisputeView: Codable, Sendable {
        public let openedBy: String
        public let arbiter: String
        public let openedAt: UInt64
        public let evidenceDeadline: UInt64
        /// The arbitration fee the opener deposited, in tokens.
        public let fee: String
        public let evidence: [EvidenceView]
        /// The buyer's share of the price in basis points, once ruled.
        public let buyerShareBps: UInt64?

        enum CodingKeys: String, CodingKey {
            case arbiter, fee, evidence
            case openedBy = "opened_by"
            case openedAt = "opened_at"
            case evidenceDeadline = "evidence_deadline"
            case buyerShareBps = "buyer_share_bps"
        }
    }

    public struct EvidenceView: Codable, Sendable {
        public let party: String
        public let cid: String
        public let at: UInt64
    }

    public init(_ purchase: PurchaseRecord, now: UInt64) {
        purchaseID = purchase.id
        listingID = purchase.listingID
        buyer = purchase.buyer.description
        seller = purchase.seller.description
        price = purchase.price.tokenString
        priceUnits = purchase.price.description
        escrow = purchase.escrow.rawValue
        licence = purchase.licenceStatus(at: now).rawValue
        licenceExpiresAt = purchase.licenceExpiresAt
        purchasedAt = purchase.purchasedAt
        deliveryDeadline = purchase.deliveryDeadline
        deliveredAt = purchase.deliveredAt
        acceptanceDeadline = purchase.acceptanceDeadline
        dispute = purchase.dispute.map { dispute in
            DisputeView(
                openedBy: dispute.openedBy.description, arbiter: dispute.arbiter.description, openedAt: dispute.openedAt,
                evidenceDeadline: dispute.evidenceDeadline, fee: dispute.fee.tokenString,
                evidence: dispute.evidence.map { EvidenceView(party: $0.party.description, cid: $0.cid, at: $0.at) },
                buyerShareBps: dispute.buyerShare.map { UInt64($0.value) })
        }
    }
}
