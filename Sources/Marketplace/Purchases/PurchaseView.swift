public import Ledger
import LightboxCrypto

/// A purchase as the API shows it: its escrow, its licence and any dispute, with times in Unix seconds and
/// amounts both in tokens and in base units.
public struct PurchaseView: Encodable, Sendable {
    let purchase_id: UInt64
    let listing_id: UInt64
    let buyer: String
    let seller: String
    let price: String
    let price_units: String
    let escrow: String
    let licence: String
    let licence_expires_at: UInt64?
    let purchased_at: UInt64
    let delivery_deadline: UInt64
    let delivered_at: UInt64?
    let acceptance_deadline: UInt64?
    let dispute: DisputeView?

    struct DisputeView: Encodable, Sendable {
        let opened_by: String
        let arbiter: String
        let opened_at: UInt64
        let evidence_deadline: UInt64
        let fee: String
        let evidence: [EvidenceView]
        let buyer_share_bps: UInt64?
    }

    struct EvidenceView: Encodable, Sendable {
        let party: String
        let cid: String
        let at: UInt64
    }

    public init(_ purchase: PurchaseRecord, now: UInt64) {
        purchase_id = purchase.id
        listing_id = purchase.listingID
        buyer = purchase.buyer.description
        seller = purchase.seller.description
        price = purchase.price.tokenString
        price_units = purchase.price.description
        escrow = purchase.escrow.rawValue
        licence = purchase.licenceStatus(at: now).rawValue
        licence_expires_at = purchase.licenceExpiresAt
        purchased_at = purchase.purchasedAt
        delivery_deadline = purchase.deliveryDeadline
        delivered_at = purchase.deliveredAt
        acceptance_deadline = purchase.acceptanceDeadline
        dispute = purchase.dispute.map { dispute in
            DisputeView(
                opened_by: dispute.openedBy.description, arbiter: dispute.arbiter.description, opened_at: dispute.openedAt,
                evidence_deadline: dispute.evidenceDeadline, fee: dispute.fee.tokenString,
                evidence: dispute.evidence.map { EvidenceView(party: $0.party.description, cid: $0.cid, at: $0.at) },
                buyer_share_bps: dispute.buyerShare.map { UInt64($0.value) })
        }
    }
}
