public import LightboxCrypto

/// Licences and Escrow, after Kleros' arbitrable escrow: a purchase locks the price and issues a licence; the
/// seller delivers; the buyer accepts (or stays silent until the acceptance deadline, after which anyone may
/// release); either side may dispute before release; the assigned arbiter rules refund, release or a split.
extension LedgerState {
    /// The id the next purchase gets.
    public var nextPurchaseID: UInt64 { governance.purchaseCount + 1 }

    func purchase(_ id: UInt64) throws(LedgerError) -> PurchaseRecord {
        try require(.purchase(id))
        guard let purchase = purchases[id] else { throw LedgerError(.unknown, "there is no purchase \(id)") }
        return purchase
    }

    /// The licences `buyer` holds for `listing` that are active at `now`.
    func activeLicences(of buyer: EthereumAddress, listing: UInt64, at now: UInt64) throws(LedgerError) -> [PurchaseRecord] {
        try require(.licences(buyer: buyer, listing: listing))
        return (licenceIndex[LicenceKey(buyer: buyer, listing: listing)] ?? []).compactMap { purchases[$0] }
            .filter { $0.licenceStatus(at: now) == .active }
    }

    mutating func purchase(
        _ listingID: UInt64, price: TokenAmount, termsHash: [UInt8], buyerKey: [UInt8], by buyer: EthereumAddress, at now: UInt64
    ) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(listingID)
        guard listing.isForSale else {
            throw LedgerError(.invalidState, "listing \(listingID) is \(listing.delisted ? "delisted" : "paused") and cannot be bought")
        }
        guard buyer != listing.owner else { throw LedgerError(.invalidArgument, "the owner of listing \(listingID) cannot buy it") }
        guard price == listing.price else {
            throw LedgerError(.invalidState, "listing \(listingID) costs \(listing.price.tokenString) tokens, not \(price.tokenString); sign again at its price")
        }
        guard termsHash == listing.termsHash else {
            throw LedgerError(.invalidState, "the terms signed are not listing \(listingID)'s terms (\(listing.termsHash.hexString))")
        }
        guard (try? X25519.PublicKey(bytes: buyerKey)) != nil, buyerKey.contains(where: { $0 != 0 }) else {
            throw LedgerError(.invalidArgument, "the buyer key must be a 32-byte X25519 public key")
        }
        if let held = try activeLicences(of: buyer, listing: listingID, at: now).first {
            throw LedgerError(.invalidState, "\(buyer) already holds licence \(held.id) for listing \(listingID)")
        }
        try requireFunds(buyer, price, for: "listing \(listingID)")
        let id = nextPurchaseID
        let expires = listing.terms.durationDays == 0 ? nil : now + listing.terms.durationDays * 86_400
        try debit(buyer, price)
        insert(PurchaseRecord(
            id: id, listingID: listingID, buyer: buyer, seller: listing.owner, price: price, feeBps: governance.platformFeeBps,
            termsHash: termsHash, buyerKey: buyerKey, purchasedAt: now, deliveryDeadline: now + parameters.deliveryPeriod,
            escrow: .awaitingDelivery, sealedKey: nil, deliveredAt: nil, acceptanceDeadline: nil, dispute: nil,
            licenceExpiresAt: expires, licenceRevoked: false))
        updateGovernance { $0.escrowed = $0.escrowed + price }
        return [
            LedgerEvent("Escrow", "Purchased", [
                "purchaseId": "\(id)", "listingId": "\(listingID)", "buyer": "\(buyer)", "seller": "\(listing.owner)",
                "price": "\(price)", "deliveryDeadline": "\(now + parameters.deliveryPeriod)",
            ]),
            LedgerEvent("Licences", "LicenceIssued", [
                "purchaseId": "\(id)", "listingId": "\(listingID)", "licensee": "\(buyer)", "termsHash": termsHash.hexString,
                "expiresAt": expires.map(String.init) ?? "never",
            ]),
        ]
    }

    mutating func deliver(_ id: UInt64, sealedKey: [UInt8], by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        let approved = try accountRecord(purchase.seller).approves(actor)
        guard actor == purchase.seller || approved else {
            throw LedgerError(.unauthorised, "only the seller (\(purchase.seller)) or an operator it approved delivers purchase \(id)")
        }
        guard purchase.escrow == .awaitingDelivery else {
            throw LedgerError(.invalidState, "purchase \(id) is \(purchase.escrow.rawValue), not awaiting delivery")
        }
        guard now <= purchase.deliveryDeadline else {
            throw LedgerError(.tooLate, "the delivery deadline of purchase \(id) passed at \(LedgerTime.text(purchase.deliveryDeadline)); the buyer may reclaim the price")
        }
        guard !sealedKey.isEmpty else { throw LedgerError(.invalidArgument, "a delivery carries the content key sealed to the buyer") }
        let deadline = now + parameters.acceptancePeriod
        try updatePurchase(id) {
            $0.escrow = .delivered
            $0.sealedKey = sealedKey
            $0.deliveredAt = now
            $0.acceptanceDeadline = deadline
        }
        return [LedgerEvent("Escrow", "Delivered", ["purchaseId": "\(id)", "listingId": "\(purchase.listingID)", "acceptanceDeadline": "\(deadline)"])]
    }

    mutating func accept(_ id: UInt64, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard actor == purchase.buyer else { throw LedgerError(.unauthorised, "only the buyer (\(purchase.buyer)) accepts purchase \(id)") }
        guard purchase.escrow == .delivered else {
            throw LedgerError(.invalidState, "purchase \(id) is \(purchase.escrow.rawValue); only a delivered purchase can be accepted")
        }
        return [LedgerEvent("Escrow", "Accepted", ["purchaseId": "\(id)", "listingId": "\(purchase.listingID)"])] + (try payOut(purchase, buyerShare: nil))
    }

    mutating func release(_ id: UInt64, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard purchase.escrow == .delivered, let deadline = purchase.acceptanceDeadline else {
            throw LedgerError(.invalidState, "purchase \(id) is \(purchase.escrow.rawValue); only a delivered, undisputed purchase is released")
        }
        guard now > deadline else {
            throw LedgerError(.tooEarly, "purchase \(id) can be released after its acceptance deadline, \(LedgerTime.text(deadline)) (it is now \(LedgerTime.text(now)))")
        }
        return try payOut(purchase, buyerShare: nil)
    }

    mutating func reclaim(_ id: UInt64, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard actor == purchase.buyer else { throw LedgerError(.unauthorised, "only the buyer (\(purchase.buyer)) reclaims purchase \(id)") }
        guard purchase.escrow == .awaitingDelivery else {
            throw LedgerError(.invalidState, "purchase \(id) is \(purchase.escrow.rawValue); only an undelivered purchase is reclaimed")
        }
        guard now > purchase.deliveryDeadline else {
            throw LedgerError(.tooEarly, "the seller may deliver purchase \(id) until \(LedgerTime.text(purchase.deliveryDeadline)) (it is now \(LedgerTime.text(now)))")
        }
        return try payOut(purchase, buyerShare: .whole)
    }

    mutating func openDispute(_ id: UInt64, evidence: String, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard actor == purchase.buyer || actor == purchase.seller else {
            throw LedgerError(.unauthorised, "only the buyer or the seller of purchase \(id) may dispute it")
        }
        guard purchase.escrow == .awaitingDelivery || purchase.escrow == .delivered else {
            throw LedgerError(.invalidState, "purchase \(id) is \(purchase.escrow.rawValue) and cannot be disputed")
        }
        if let deadline = purchase.acceptanceDeadline, now > deadline {
            throw LedgerError(.tooLate, "the acceptance deadline of purchase \(id) passed at \(LedgerTime.text(deadline)); it can only be released")
        }
        let candidates = governance.arbiters.filter { $0 != purchase.buyer && $0 != purchase.seller }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        guard !candidates.isEmpty else {
            throw LedgerError(.invalidState, "no arbiter is registered who is neither buyer nor seller; governance must add one")
        }
        let fee = parameters.arbitrationFee
        try requireFunds(actor, fee, for: "the arbitration fee")
        // Arbiters are assigned in turn, by address order.
        let arbiter = candidates[Int(governance.disputesOpened % UInt64(candidates.count))]
        let deadline = now + parameters.evidencePeriod
        let first = evidence.isEmpty ? [] : [PurchaseRecord.Evidence(party: actor, cid: evidence, at: now)]
        try debit(actor, fee)
        updateGovernance {
            $0.disputesOpened += 1
            $0.escrowed = $0.escrowed + fee
        }
        try updatePurchase(id) {
            $0.escrow = .disputed
            $0.dispute = .init(openedBy: actor, arbiter: arbiter, openedAt: now, evidenceDeadline: deadline, fee: fee, evidence: first, buyerShare: nil)
        }
        var events = [LedgerEvent("Escrow", "DisputeOpened", [
            "purchaseId": "\(id)", "listingId": "\(purchase.listingID)", "by": "\(actor)", "arbiter": "\(arbiter)",
            "evidenceDeadline": "\(deadline)", "fee": "\(fee)",
        ])]
        if !evidence.isEmpty { events.append(Self.evidenceEvent(purchase, party: actor, cid: evidence)) }
        return events
    }

    mutating func submitEvidence(_ id: UInt64, cid: String, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard actor == purchase.buyer || actor == purchase.seller else {
            throw LedgerError(.unauthorised, "only the buyer or the seller of purchase \(id) submits evidence")
        }
        guard purchase.escrow == .disputed, let dispute = purchase.dispute else {
            throw LedgerError(.invalidState, "purchase \(id) is not in dispute")
        }
        guard now <= dispute.evidenceDeadline else {
            throw LedgerError(.tooLate, "the evidence period of purchase \(id) ended at \(LedgerTime.text(dispute.evidenceDeadline))")
        }
        guard !cid.isEmpty else { throw LedgerError(.invalidArgument, "evidence is an ERC-1497 JSON document named by its CID") }
        try updatePurchase(id) { $0.dispute?.evidence.append(.init(party: actor, cid: cid, at: now)) }
        return [Self.evidenceEvent(purchase, party: actor, cid: cid)]
    }

    mutating func rule(_ id: UInt64, buyerShare: BasisPoints, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let purchase = try purchase(id)
        guard purchase.escrow == .disputed, let dispute = purchase.dispute else {
            throw LedgerError(.invalidState, "purchase \(id) is not in dispute")
        }
        guard actor == dispute.arbiter else {
            throw LedgerError(.unauthorised, "only the assigned arbiter (\(dispute.arbiter)) rules on purchase \(id)")
        }
        let parties = Set(dispute.evidence.map(\.party))
        guard now > dispute.evidenceDeadline || (parties.contains(purchase.buyer) && parties.contains(purchase.seller)) else {
            throw LedgerError(
                .tooEarly,
                "the evidence period of purchase \(id) runs until \(LedgerTime.text(dispute.evidenceDeadline)); rule then, or once both sides have submitted evidence")
        }
        try credit(actor, dispute.fee)
        updateGovernance { $0.escrowed = $0.escrowed - dispute.fee }
        try updatePurchase(id) { $0.dispute?.buyerShare = buyerShare }
        let ruling = LedgerEvent("Escrow", "Ruling", [
            "purchaseId": "\(id)", "listingId": "\(purchase.listingID)", "arbiter": "\(actor)", "buyerBps": "\(buyerShare)",
            "fee": "\(dispute.fee)",
        ])
        return [ruling] + (try payOut(self.purchases[id]!, buyerShare: buyerShare))
    }

    /// Pays an open escrow out: `buyerShare` of the price back to the buyer (nil: none, a release), the rest to the
    /// seller less the platform fee. A full refund revokes the licence.
    private mutating func payOut(_ purchase: PurchaseRecord, buyerShare: BasisPoints?) throws(LedgerError) -> [LedgerEvent] {
        let refund = buyerShare.map { purchase.price.share($0) } ?? .zero
        let sellerGross = purchase.price - refund
        let fee = sellerGross.share(purchase.feeBps)
        try credit(purchase.buyer, refund)
        try credit(purchase.seller, sellerGross - fee)
        try credit(governance.treasury, fee)
        updateGovernance { $0.escrowed = $0.escrowed - purchase.price }
        let state: PurchaseRecord.EscrowState = refund == purchase.price ? .refunded : refund == .zero ? .released : .split
        try updatePurchase(purchase.id) {
            $0.escrow = state
            if state == .refunded { $0.licenceRevoked = true }
        }
        let ids = ["purchaseId": "\(purchase.id)", "listingId": "\(purchase.listingID)"]
        var events: [LedgerEvent] = []
        switch state {
        case .released:
            events.append(LedgerEvent("Escrow", "EscrowReleased", ids.merging([
                "seller": "\(purchase.seller)", "amount": "\(sellerGross - fee)", "fee": "\(fee)", "treasury": "\(governance.treasury)",
            ]) { $1 }))
        case .refunded:
            events.append(LedgerEvent("Escrow", "EscrowRefunded", ids.merging(["buyer": "\(purchase.buyer)", "amount": "\(refund)"]) { $1 }))
            events.append(LedgerEvent("Licences", "LicenceRevoked", ids.merging(["licensee": "\(purchase.buyer)"]) { $1 }))
        default:
            events.append(LedgerEvent("Escrow", "EscrowSplit", ids.merging([
                "buyer": "\(purchase.buyer)", "buyerAmount": "\(refund)", "seller": "\(purchase.seller)",
                "sellerAmount": "\(sellerGross - fee)", "fee": "\(fee)", "treasury": "\(governance.treasury)",
            ]) { $1 }))
        }
        return events
    }

    static func evidenceEvent(_ purchase: PurchaseRecord, party: EthereumAddress, cid: String) -> LedgerEvent {
        // ERC-1497: Evidence(arbitrator, evidenceGroupID, party, evidence URI).
        LedgerEvent("Escrow", "Evidence", [
            "purchaseId": "\(purchase.id)", "listingId": "\(purchase.listingID)", "party": "\(party)", "evidence": "ipfs://\(cid)",
        ])
    }
}
