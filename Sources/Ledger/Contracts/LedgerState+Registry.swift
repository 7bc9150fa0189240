import LightboxCrypto

/// DatasetRegistry: listing tokens, minted only with a passing quality attestation from an authorised QA key.
extension LedgerState {
    /// The id the next minted listing gets.
    public var nextListingID: UInt64 { governance.listingCount + 1 }

    func listing(_ id: UInt64) throws(LedgerError) -> ListingRecord {
        try require(.listing(id))
        guard let listing = listings[id] else { throw LedgerError(.unknown, "there is no listing \(id)") }
        return listing
    }

    func requireOwner(_ listing: ListingRecord, _ actor: EthereumAddress, _ what: String) throws(LedgerError) {
        guard listing.owner == actor else {
            throw LedgerError(.unauthorised, "only the owner of listing \(listing.id) (\(listing.owner)) may \(what)")
        }
    }

    mutating func mint(_ request: LedgerAction.MintRequest, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let attestation = request.attestation
        guard governance.qaKeys.contains(attestation.signer.key) else {
            throw LedgerError(.invalidAttestation, "the attestation names QA key \(attestation.signer), which is not an authorised QA key")
        }
        guard attestation.isValid else {
            throw LedgerError(.invalidAttestation, "the attestation's signature does not verify for this manifest, report, score and verdict")
        }
        guard attestation.passed else {
            throw LedgerError(.invalidAttestation, "the quality report \(attestation.reportCID) failed (score \(attestation.score)); fix the dataset and check it again")
        }
        guard !request.contentRoot.isEmpty, !attestation.manifestCID.isEmpty, !attestation.reportCID.isEmpty else {
            throw LedgerError(.invalidArgument, "a listing needs its content root, manifest and report CIDs")
        }
        try request.terms.validate()
        try require(.manifest(attestation.manifestCID))
        if let existing = manifestIndex[attestation.manifestCID] {
            throw LedgerError(.invalidState, "the dataset with manifest \(attestation.manifestCID) is already listing \(existing)")
        }
        let id = nextListingID
        insert(ListingRecord(
            id: id, creator: actor, owner: actor, contentRoot: request.contentRoot, manifestCID: attestation.manifestCID,
            reportCID: attestation.reportCID, reportHash: attestation.reportHash, score: attestation.score,
            attestationKey: attestation.signer.bytes, attestationSignature: attestation.signature, terms: request.terms,
            termsHash: request.terms.hash, price: request.price, royalty: request.royalty, paused: false, delisted: false,
            mintedAt: now, offer: nil))
        return [LedgerEvent("DatasetRegistry", "ListingMinted", [
            "listingId": "\(id)", "creator": "\(actor)", "contentRoot": request.contentRoot,
            "manifestCid": attestation.manifestCID, "reportCid": attestation.reportCID, "score": "\(attestation.score)",
            "termsHash": request.terms.hash.hexString, "price": "\(request.price)", "royaltyBps": "\(request.royalty)",
        ])]
    }

    mutating func setPrice(_ id: UInt64, price: TokenAmount, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(id)
        try requireOwner(listing, actor, "change its price")
        guard !listing.delisted else { throw LedgerError(.invalidState, "listing \(id) is delisted") }
        try updateListing(id) { $0.price = price }
        return [LedgerEvent("DatasetRegistry", "PriceChanged", ["listingId": "\(id)", "price": "\(price)"])]
    }

    mutating func setPaused(_ id: UInt64, paused: Bool, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(id)
        try requireOwner(listing, actor, paused ? "pause it" : "resume it")
        guard !listing.delisted else { throw LedgerError(.invalidState, "listing \(id) is delisted") }
        try updateListing(id) { $0.paused = paused }
        return [LedgerEvent("DatasetRegistry", "ListingPaused", ["listingId": "\(id)", "paused": "\(paused)"])]
    }

    mutating func delist(_ id: UInt64, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(id)
        try requireOwner(listing, actor, "delist it")
        guard !listing.delisted else { throw LedgerError(.invalidState, "listing \(id) is already delisted") }
        try updateListing(id) {
            $0.delisted = true
            $0.offer = nil
        }
        manifestIndex[listing.manifestCID] = nil
        return [LedgerEvent("DatasetRegistry", "ListingDelisted", ["listingId": "\(id)"])]
    }

    mutating func offer(_ id: UInt64, to: EthereumAddress, price: TokenAmount, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(id)
        try requireOwner(listing, actor, "offer it")
        guard !listing.delisted else { throw LedgerError(.invalidState, "listing \(id) is delisted") }
        guard to != actor else { throw LedgerError(.invalidArgument, "an owner cannot offer a listing to itself") }
        try updateListing(id) { $0.offer = .init(to: to, price: price) }
        return [LedgerEvent("DatasetRegistry", "ListingOffered", ["listingId": "\(id)", "to": "\(to)", "price": "\(price)"])]
    }

    mutating func take(_ id: UInt64, price: TokenAmount, by actor: EthereumAddress) throws(LedgerError) -> [LedgerEvent] {
        let listing = try listing(id)
        guard let offer = listing.offer, !listing.delisted else {
            throw LedgerError(.invalidState, "listing \(id) is not offered")
        }
        guard offer.to == .zero || offer.to == actor else {
            throw LedgerError(.unauthorised, "listing \(id) is offered to \(offer.to), not \(actor)")
        }
        guard actor != listing.owner else { throw LedgerError(.invalidArgument, "the owner already holds listing \(id)") }
        guard price == offer.price else {
            throw LedgerError(.invalidState, "listing \(id) is offered at \(offer.price.tokenString) tokens, not \(price.tokenString); sign again")
        }
        try requireFunds(actor, price, for: "listing \(id)")
        // EIP-2981: the royalty on the sale price goes to the creator, the rest to the owner.
        let royalty = price.share(listing.royalty)
        try debit(actor, price)
        try credit(listing.creator, royalty)
        try credit(listing.owner, price - royalty)
        try updateListing(id) {
            $0.owner = actor
            $0.offer = nil
        }
        return [LedgerEvent("DatasetRegistry", "ListingTransferred", [
            "listingId": "\(id)", "from": "\(listing.owner)", "to": "\(actor)", "price": "\(price)",
            "royalty": "\(royalty)", "creator": "\(listing.creator)",
        ])]
    }
}
