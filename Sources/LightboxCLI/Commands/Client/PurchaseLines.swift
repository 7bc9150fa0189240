import Marketplace

/// How purchases and disputes read in the terminal: where each stands and what comes next, with dates.
enum PurchaseLines {
    /// One line for a purchase: listing, price, state, and the deadline that matters now.
    static func summary(_ purchase: PurchaseView, as role: String?) -> String {
        "purchase \(purchase.purchaseID) of listing \(purchase.listingID), \(purchase.price) tokens"
            + (role.map { ", you are the \($0)" } ?? "") + ": " + standing(purchase)
    }

    /// Where a purchase stands and by when the next step is due.
    static func standing(_ purchase: PurchaseView) -> String {
        switch purchase.escrow {
        case "awaitingDelivery":
            return "awaiting delivery; the seller delivers by \(ClientOutput.time(purchase.deliveryDeadline)), after which the buyer may reclaim the price"
        case "delivered":
            return "delivered; the buyer accepts or disputes by \(ClientOutput.time(purchase.acceptanceDeadline)), after which the seller is paid"
        case "disputed":
            guard let dispute = purchase.dispute else { return "in dispute" }
            return "IN DISPUTE since \(ClientOutput.time(dispute.openedAt)): evidence until \(ClientOutput.time(dispute.evidenceDeadline)), arbiter \(dispute.arbiter)"
        case "released": return "released: the seller was paid; licence \(purchase.licence)"
        case "refunded": return "refunded to the buyer; licence \(purchase.licence)"
        case "split": return "ruled and split; licence \(purchase.licence)"
        default: return "\(purchase.escrow); licence \(purchase.licence)"
        }
    }

    /// A dispute's lines: who opened it, the fee, the evidence, the ruling.
    static func dispute(_ dispute: PurchaseView.DisputeView) -> [String] {
        var lines = [
            "  dispute opened by \(dispute.openedBy) at \(ClientOutput.time(dispute.openedAt)) (arbitration fee \(dispute.fee) tokens); "
                + "arbiter \(dispute.arbiter), evidence until \(ClientOutput.time(dispute.evidenceDeadline))"
        ]
        for evidence in dispute.evidence {
            lines.append("    evidence from \(evidence.party) at \(ClientOutput.time(evidence.at)): ipfs://\(evidence.cid)")
        }
        if let share = dispute.buyerShareBps { lines.append("  ruled: \(Double(share) / 100) % of the price to the buyer") }
        return lines
    }
}
