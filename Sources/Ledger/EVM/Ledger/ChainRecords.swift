import LightboxCrypto

/// The records the marketplace reads, folded from the contracts' events in chain order: the contracts keep hashes
/// and numbers, the events carry the rest (CIDs, sealed keys, evidence), so the records are rebuilt from them as
/// the embedded ledger keeps them. A working set: the indexer loads the records a batch of events touches, applies
/// the events, and writes back what changed (with what it replaced, to undo it if a reorganisation drops the block).
struct ChainRecords {
    enum Key: Hashable {
        case listing(UInt64)
        case purchase(UInt64)
        case operators(EthereumAddress)
        case governance
    }

    var listings: [UInt64: ListingRecord] = [:]
    var purchases: [UInt64: PurchaseRecord] = [:]
    /// Each owner's operators (lower-case hex addresses).
    var operators: [EthereumAddress: Set<String>] = [:]
    var governance: GovernanceRecord
    /// What `apply` changed, in order, for the rows and the undo log.
    private(set) var changed: [Key] = []

    init(governance: GovernanceRecord) {
        self.governance = governance
    }

    /// What a mint's transaction carried beyond its event: the licence terms and the QA attestation's signature.
    struct MintDetails: Sendable {
        let terms: LicenceTerms
        let attestationSignature: [UInt8]
    }

    /// Folds one event (already mapped to the embedded ledger's names) of a block with timestamp `time`, and returns
    /// it completed (ERC-1497 evidence and ERC-792 rulings with their listing and fee).
    mutating func apply(_ event: LedgerEvent, time: UInt64, mint: MintDetails?) throws(LedgerError) -> LedgerEvent {
        let f = EventFields(event)
        switch (event.contract, event.name) {
        case ("Governance", "ArbiterSet"):
            let arbiter = try f.address("arbiter")
            if try f.bool("active") { governance.arbiters.insert(arbiter) } else { governance.arbiters.remove(arbiter) }
            note(.governance)
        case ("Governance", "QASignerSet"):
            let signer = try f.address("signer").key
            if try f.bool("active") { governance.qaKeys.insert(signer) } else { governance.qaKeys.remove(signer) }
            note(.governance)
        case ("Governance", "PlatformFeeSet"):
            governance.platformFeeBps = try BasisPoints(try f.uint("feeBps"))
            governance.treasury = try f.address("treasury")
            note(.governance)
        case ("DatasetRegistry", "ApprovalForAll"):
            let owner = try f.address("owner")
            let account = try f.address("operator").key
            if try f.bool("approved") { operators[owner, default: []].insert(account) } else { operators[owner, default: []].remove(account) }
            note(.operators(owner))
        case ("DatasetRegistry", "ListingMinted"):
            let id = try f.uint("listingId")
            let creator = try f.address("creator")
            let termsHash = try f.hex("termsHash")
            listings[id] = ListingRecord(
                id: id, creator: creator, owner: creator, contentRoot: try f.text("contentRoot"), manifestCID: try f.text("manifestCid"),
                reportCID: try f.text("reportCid"), reportHash: try f.hex("reportHash"), score: try f.uint("score"),
                attestationKey: try f.address("qaSigner").bytes, attestationSignature: mint?.attestationSignature ?? [],
                terms: mint?.terms ?? LicenceTerms.unknown, termsHash: termsHash, price: try f.amount("price"),
                royalty: try BasisPoints(try f.uint("royaltyBps")), paused: false, delisted: false, mintedAt: time, offer: nil)
            governance.listingCount = max(governance.listingCount, id)
            note(.listing(id))
            note(.governance)
        case ("DatasetRegistry", "PriceChanged"):
            let price = try f.amount("price")
            try updateListing(f) { $0.price = price }
        case ("DatasetRegistry", "ListingPaused"):
            let paused = try f.bool("paused")
            try updateListing(f) { $0.paused = paused }
        case ("DatasetRegistry", "ListingDelisted"):
            try updateListing(f) {
                $0.delisted = true
                $0.offer = nil
            }
        case ("DatasetRegistry", "ListingOffered"):
            let offer = ListingRecord.Offer(to: try f.address("to"), price: try f.amount("price"))
            try updateListing(f) { $0.offer = offer }
        case ("DatasetRegistry", "ListingTransferred"), ("DatasetRegistry", "Transfer"):
            let owner = try f.address("to")
            try updateListing(f) {
                $0.owner = owner
                $0.offer = nil
            }
        case ("Escrow", "Purchased"):
            let id = try f.uint("purchaseId"), listingID = try f.uint("listingId")
            let price = try f.amount("price")
            purchases[id] = PurchaseRecord(
                id: id, listingID: listingID, buyer: try f.address("buyer"), seller: try f.address("seller"), price: price,
                feeBps: governance.platformFeeBps, termsHash: listings[listingID]?.termsHash ?? [], buyerKey: try f.hex("buyerKey"),
                purchasedAt: time, deliveryDeadline: try f.uint("deliveryDeadline"), escrow: .awaitingDelivery, sealedKey: nil,
                deliveredAt: nil, acceptanceDeadline: nil, dispute: nil, licenceExpiresAt: nil, licenceRevoked: false)
            governance.purchaseCount = max(governance.purchaseCount, id)
            governance.escrowed = governance.escrowed + price
            note(.purchase(id))
            note(.governance)
        case ("Licences", "LicenceIssued"):
            let id = try f.uint("purchaseId")
            guard let p = purchases[id] else { throw missing("purchase", id) }
            let expires = f.fields["expiresAt"] == "never" ? nil : try f.uint("expiresAt")
            purchases[id] = PurchaseRecord(
                id: p.id, listingID: p.listingID, buyer: p.buyer, seller: p.seller, price: p.price, feeBps: p.feeBps,
                termsHash: try f.hex("termsHash"), buyerKey: p.buyerKey, purchasedAt: p.purchasedAt, deliveryDeadline: p.deliveryDeadline,
                escrow: p.escrow, sealedKey: p.sealedKey, deliveredAt: p.deliveredAt, acceptanceDeadline: p.acceptanceDeadline,
                dispute: p.dispute, licenceExpiresAt: expires, licenceRevoked: p.licenceRevoked)
            note(.purchase(id))
        case ("Escrow", "Delivered"):
            let sealedKey = try f.hex("sealedKey"), deadline = try f.uint("acceptanceDeadline")
            try updatePurchase(f) {
                $0.escrow = .delivered
                $0.sealedKey = sealedKey
                $0.deliveredAt = time
                $0.acceptanceDeadline = deadline
            }
        case ("Escrow", "EscrowReleased"), ("Escrow", "EscrowRefunded"), ("Escrow", "EscrowSplit"):
            let state: PurchaseRecord.EscrowState = event.name == "EscrowReleased" ? .released : event.name == "EscrowRefunded" ? .refunded : .split
            var price = TokenAmount.zero
            try updatePurchase(f) {
                $0.escrow = state
                price = $0.price
            }
            governance.escrowed = governance.escrowed - price
            note(.governance)
        case ("Licences", "LicenceRevoked"):
            try updatePurchase(f) { $0.licenceRevoked = true }
        case ("Escrow", "DisputeOpened"):
            let dispute = PurchaseRecord.Dispute(
                openedBy: try f.address("by"), arbiter: try f.address("arbiter"), openedAt: time,
                evidenceDeadline: try f.uint("evidenceDeadline"), fee: try f.amount("fee"), evidence: [], buyerShare: nil)
            try updatePurchase(f) {
                $0.escrow = .disputed
                $0.dispute = dispute
            }
            governance.disputesOpened += 1
            governance.escrowed = governance.escrowed + dispute.fee
            note(.governance)
        case ("Escrow", "Evidence"):
            let id = try f.uint("purchaseId")
            let uri = try f.text("evidence")
            let evidence = PurchaseRecord.Evidence(party: try f.address("party"), cid: uri.hasPrefix("ipfs://") ? String(uri.dropFirst(7)) : uri, at: time)
            try updatePurchase(f) { $0.dispute?.evidence.append(evidence) }
            return event.completed(listingID: purchases[id]?.listingID ?? 0, fee: nil)
        case ("Escrow", "Ruling"):
            let id = try f.uint("purchaseId")
            let share = try BasisPoints(try f.uint("buyerBps"))
            try updatePurchase(f) { $0.dispute?.buyerShare = share }
            let fee = purchases[id]?.dispute?.fee ?? .zero
            governance.escrowed = governance.escrowed - fee
            note(.governance)
            return event.completed(listingID: purchases[id]?.listingID ?? 0, fee: fee)
        default:
            break  // Accepted: the release that follows says it all
        }
        return event
    }

    /// The keys changed since the last call, in the order they first changed.
    mutating func takeChanged() -> [Key] {
        defer { changed = [] }
        return changed
    }

    private mutating func note(_ key: Key) {
        if !changed.contains(key) { changed.append(key) }
    }

    private mutating func updateListing(_ f: EventFields, _ change: (inout ListingRecord) -> Void) throws(LedgerError) {
        let id = try f.uint("listingId")
        guard var listing = listings[id] else { throw missing("listing", id) }
        change(&listing)
        listings[id] = listing
        note(.listing(id))
    }

    private mutating func updatePurchase(_ f: EventFields, _ change: (inout PurchaseRecord) -> Void) throws(LedgerError) {
        let id = try f.uint("purchaseId")
        guard var purchase = purchases[id] else { throw missing("purchase", id) }
        change(&purchase)
        purchases[id] = purchase
        note(.purchase(id))
    }

    private func missing(_ kind: String, _ id: UInt64) -> LedgerError {
        LedgerError(.tampered, "the chain's events name \(kind) \(id), which the index has no record of: re-index from the deployment block")
    }
}

/// Typed reads of an event's text fields.
struct EventFields {
    let event: LedgerEvent
    var fields: [String: String] { event.fields }

    init(_ event: LedgerEvent) { self.event = event }

    private func fail(_ name: String, _ what: String) -> LedgerError {
        LedgerError(.tampered, "\(event.contract).\(event.name)'s \(name) is not \(what)")
    }

    func text(_ name: String) throws(LedgerError) -> String {
        guard let value = fields[name] else { throw fail(name, "present") }
        return value
    }

    func uint(_ name: String) throws(LedgerError) -> UInt64 {
        let text = try text(name)
        guard let value = UInt64(text) else { throw fail(name, "a 64-bit number (it is '\(text.prefix(40))')") }
        return value
    }

    func amount(_ name: String) throws(LedgerError) -> TokenAmount {
        guard let units = UInt128(try text(name)) else { throw fail(name, "an amount") }
        return TokenAmount(units: units)
    }

    func bool(_ name: String) throws(LedgerError) -> Bool {
        switch try text(name) {
        case "true": return true
        case "false": return false
        default: throw fail(name, "true or false")
        }
    }

    func address(_ name: String) throws(LedgerError) -> EthereumAddress {
        guard let address = try? EthereumAddress(try text(name)) else { throw fail(name, "an address") }
        return address
    }

    func hex(_ name: String) throws(LedgerError) -> [UInt8] {
        guard let bytes = [UInt8](hexString: try text(name)) else { throw fail(name, "hex") }
        return bytes
    }
}
