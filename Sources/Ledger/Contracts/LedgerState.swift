public import LightboxCrypto

/// The contracts' state: Token balances and allowances, the DatasetRegistry's listings, purchases with their
/// escrows and licences, and what governance keeps. ``apply(_:at:)`` is the one way it changes.
///
/// Every handler checks everything before it changes anything, so a refused intent leaves the state exactly as it
/// was. The records an intent touched are collected in ``touched`` for whoever persists the state.
///
/// A state is *complete* (every record in memory: tests, replays) or a *working set* (``partial(parameters:governance:)``):
/// only the records loaded so far. Reading or changing a record a working set has not loaded throws a
/// ``LedgerError`` whose ``LedgerError/missing`` names it; the embedded ledger loads it and applies the intent again
/// to the state as it was before, so the state of a whole ledger never has to be in memory.
public struct LedgerState: Sendable, Equatable {
    public let parameters: LedgerParameters
    public internal(set) var accounts: [EthereumAddress: AccountRecord] = [:]
    public internal(set) var listings: [UInt64: ListingRecord] = [:]
    public internal(set) var purchases: [UInt64: PurchaseRecord] = [:]
    public internal(set) var governance: GovernanceRecord

    /// Indexes derived from the records: the listing of each listed manifest, the purchases of each buyer and listing.
    var manifestIndex: [String: UInt64] = [:]
    var licenceIndex: [LicenceKey: [UInt64]] = [:]

    struct LicenceKey: Hashable, Sendable {
        let buyer: EthereumAddress
        let listing: UInt64
    }

    /// Records changed since the last ``clearTouched()``.
    public internal(set) var touched = Set<RecordKey>()

    /// The keys a working set has loaded; nil for a complete state. A loaded key with no record means there is none.
    public internal(set) var loaded: Set<RecordKey>?

    /// A record, or (`manifest`, `licences`) an index entry, of the state.
    public enum RecordKey: Hashable, Sendable {
        case account(EthereumAddress), listing(UInt64), purchase(UInt64), governance
        /// The listing (not delisted) of a manifest CID.
        case manifest(String)
        /// The purchases of one buyer of one listing.
        case licences(buyer: EthereumAddress, listing: UInt64)
    }

    public init(parameters: LedgerParameters) {
        self.parameters = parameters
        governance = GovernanceRecord(
            platformFeeBps: parameters.platformFeeBps, treasury: parameters.treasury,
            arbiters: Set(parameters.arbiters), qaKeys: Set(parameters.qaKeys), supply: .zero, disputesOpened: 0)
    }

    /// A working set: governance (always loaded) and no other record yet.
    public static func partial(parameters: LedgerParameters, governance: GovernanceRecord) -> LedgerState {
        var state = LedgerState(parameters: parameters)
        state.governance = governance
        state.loaded = [.governance]
        return state
    }

    /// Adds records read from storage to a working set, marking `keys` as loaded (a key without a record: none
    /// exists).
    public mutating func load(
        _ keys: [RecordKey], accounts: [EthereumAddress: AccountRecord] = [:], listings: [ListingRecord] = [],
        purchases: [PurchaseRecord] = []
    ) {
        // A record already loaded may have changed since it was read: the one in memory stands.
        let known = loaded ?? []
        for (address, record) in accounts where !known.contains(.account(address)) { self.accounts[address] = record }
        for listing in listings where !known.contains(.listing(listing.id)) {
            self.listings[listing.id] = listing
            if !listing.delisted { manifestIndex[listing.manifestCID] = listing.id }
        }
        for purchase in purchases where !known.contains(.purchase(purchase.id)) {
            self.purchases[purchase.id] = purchase
            let key = LicenceKey(buyer: purchase.buyer, listing: purchase.listingID)
            if !(licenceIndex[key]?.contains(purchase.id) ?? false) { licenceIndex[key, default: []].append(purchase.id) }
        }
        loaded?.formUnion(keys)
        loaded?.formUnion(listings.map { .listing($0.id) })
        loaded?.formUnion(purchases.map { .purchase($0.id) })
    }

    /// Throws the fault that makes the embedded ledger load `key` into a working set.
    func require(_ key: RecordKey) throws(LedgerError) {
        if let loaded, !loaded.contains(key) { throw LedgerError(missing: key) }
    }

    /// A state as stored: its records, with the indexes rebuilt.
    public init(
        parameters: LedgerParameters, accounts: [EthereumAddress: AccountRecord], listings: [UInt64: ListingRecord],
        purchases: [UInt64: PurchaseRecord], governance: GovernanceRecord
    ) {
        self.parameters = parameters
        self.accounts = accounts
        self.listings = listings
        self.purchases = purchases
        self.governance = governance
        for listing in listings.values where !listing.delisted { manifestIndex[listing.manifestCID] = listing.id }
        if governance.lacksCounters {
            // A ledger stored before the counters were kept: count them.
            self.governance.listingCount = UInt64(listings.count)
            self.governance.purchaseCount = UInt64(purchases.count)
            self.governance.escrowed = purchases.values.reduce(.zero) { $0 + $1.held }
            self.governance.lacksCounters = false
        }
        for purchase in purchases.values.sorted(by: { $0.id < $1.id }) {
            licenceIndex[LicenceKey(buyer: purchase.buyer, listing: purchase.listingID), default: []].append(purchase.id)
        }
    }

    /// An account's record (a fresh one for an account never seen) in a complete state.
    public func account(_ address: EthereumAddress) -> AccountRecord { accounts[address] ?? AccountRecord() }

    public func balance(of address: EthereumAddress) -> TokenAmount { account(address).balance }

    /// The nonce `address`'s next intent must carry.
    public func nextNonce(of address: EthereumAddress) -> UInt64 { account(address).nonce }

    /// What all open escrows hold.
    public var escrowed: TokenAmount { governance.escrowed }

    /// An account's record, loaded.
    func accountRecord(_ address: EthereumAddress) throws(LedgerError) -> AccountRecord {
        try require(.account(address))
        return accounts[address] ?? AccountRecord()
    }

    /// Verifies and applies one signed intent at time `now` (Unix seconds), returning the events it emitted.
    /// - Throws: ``LedgerError`` for an intent that is refused; the state is then unchanged — except in a working
    ///   set, where a refusal with ``LedgerError/missing`` may leave it half changed: apply to a copy.
    public mutating func apply(_ signed: SignedIntent, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let intent = signed.intent
        let nonce = try accountRecord(intent.account).nonce
        try IntentVerifier(domain: parameters.domain).verify(signed, expectedNonce: nonce, now: now)
        let events = try perform(try intent.action(), by: intent.account, at: now)
        try update(intent.account) { $0.nonce += 1 }
        return events
    }

    /// Applies an action without a signature: for replaying a log whose signatures were checked, and for tests.
    mutating func perform(_ action: LedgerAction, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        switch action {
        case .transfer(let to, let amount): return try transfer(from: actor, to: to, amount: amount)
        case .approve(let spender, let amount): return try approve(owner: actor, spender: spender, amount: amount)
        case .transferFrom(let from, let to, let amount): return try transferFrom(spender: actor, from: from, to: to, amount: amount)
        case .faucet(let amount): return try faucet(to: actor, amount: amount)
        case .setOperator(let account, let active): return try setOperator(account, active: active, by: actor)
        case .setArbiter(let arbiter, let active): return try setArbiter(arbiter, active: active, by: actor)
        case .setQASigner(let signer, let active): return try setQASigner(signer, active: active, by: actor)
        case .setPlatformFee(let fee, let treasury): return try setPlatformFee(fee, treasury: treasury, by: actor)
        case .mint(let request): return try mint(request, by: actor, at: now)
        case .setPrice(let id, let price): return try setPrice(id, price: price, by: actor)
        case .setPaused(let id, let paused): return try setPaused(id, paused: paused, by: actor)
        case .delist(let id): return try delist(id, by: actor)
        case .offerListing(let id, let to, let price): return try offer(id, to: to, price: price, by: actor)
        case .takeListing(let id, let price): return try take(id, price: price, by: actor)
        case .purchase(let id, let price, let termsHash, let buyerKey):
            return try purchase(id, price: price, termsHash: termsHash, buyerKey: buyerKey, by: actor, at: now)
        case .deliver(let id, let sealedKey): return try deliver(id, sealedKey: sealedKey, by: actor, at: now)
        case .accept(let id): return try accept(id, by: actor)
        case .release(let id): return try release(id, at: now)
        case .reclaim(let id): return try reclaim(id, by: actor, at: now)
        case .openDispute(let id, let cid): return try openDispute(id, evidence: cid, by: actor, at: now)
        case .submitEvidence(let id, let cid): return try submitEvidence(id, cid: cid, by: actor, at: now)
        case .rule(let id, let share): return try rule(id, buyerShare: share, by: actor, at: now)
        }
    }

    public mutating func clearTouched() { touched.removeAll(keepingCapacity: true) }

    // MARK: Changing records (only once every check has passed)

    mutating func update(_ address: EthereumAddress, _ change: (inout AccountRecord) -> Void) throws(LedgerError) {
        try require(.account(address))
        change(&accounts[address, default: AccountRecord()])
        touched.insert(.account(address))
    }

    mutating func credit(_ address: EthereumAddress, _ amount: TokenAmount) throws(LedgerError) {
        guard amount > .zero else { return }
        try update(address) { $0.balance = $0.balance + amount }
    }

    mutating func debit(_ address: EthereumAddress, _ amount: TokenAmount) throws(LedgerError) {
        guard amount > .zero else { return }
        try update(address) { $0.balance = $0.balance - amount }
    }

    mutating func updateListing(_ id: UInt64, _ change: (inout ListingRecord) -> Void) throws(LedgerError) {
        try require(.listing(id))
        change(&listings[id]!)
        touched.insert(.listing(id))
    }

    mutating func updatePurchase(_ id: UInt64, _ change: (inout PurchaseRecord) -> Void) throws(LedgerError) {
        try require(.purchase(id))
        change(&purchases[id]!)
        touched.insert(.purchase(id))
    }

    /// Adds a record just created to the state (and to a working set's loaded keys).
    mutating func insert(_ listing: ListingRecord) {
        listings[listing.id] = listing
        manifestIndex[listing.manifestCID] = listing.id
        loaded?.formUnion([.listing(listing.id), .manifest(listing.manifestCID)])
        touched.insert(.listing(listing.id))
        updateGovernance { $0.listingCount += 1 }
    }

    mutating func insert(_ purchase: PurchaseRecord) {
        purchases[purchase.id] = purchase
        licenceIndex[LicenceKey(buyer: purchase.buyer, listing: purchase.listingID), default: []].append(purchase.id)
        loaded?.insert(.purchase(purchase.id))
        touched.insert(.purchase(purchase.id))
        updateGovernance { $0.purchaseCount += 1 }
    }

    mutating func updateGovernance(_ change: (inout GovernanceRecord) -> Void) {
        change(&governance)
        touched.insert(.governance)
    }

    // MARK: Checks

    func requireFunds(_ address: EthereumAddress, _ amount: TokenAmount, for what: String) throws(LedgerError) {
        let balance = try accountRecord(address).balance
        guard balance >= amount else {
            throw LedgerError(
                .insufficientFunds,
                "\(address) has \(balance.tokenString) tokens, \(amount.tokenString) are needed for \(what)")
        }
    }

    /// The amount `address` would hold after receiving `amount`: refuses an overflow before anything changes.
    func requireRoom(_ address: EthereumAddress, _ amount: TokenAmount) throws(LedgerError) {
        guard try accountRecord(address).balance.adding(amount) != nil, governance.supply.adding(amount) != nil else {
            throw LedgerError(.invalidArgument, "\(amount) units is more than an account or the supply can hold")
        }
    }

    /// Because a ledger's state is compared after replay, a change of a touched set alone is not a difference.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.parameters == rhs.parameters && lhs.accounts == rhs.accounts && lhs.listings == rhs.listings
            && lhs.purchases == rhs.purchases && lhs.governance == rhs.governance
    }
}

/// What governance keeps, and the ledger's counters.
public struct GovernanceRecord: Sendable, Equatable, Codable {
    public var platformFeeBps: BasisPoints
    public var treasury: EthereumAddress
    public var arbiters: Set<EthereumAddress>
    /// The QA keys whose attestations the registry accepts: their addresses in lower-case hex. (A ledger created
    /// before attestations were EIP-712 also holds the Ed25519 keys it started with, which match no attestation.)
    public var qaKeys: Set<String>
    /// Every token in existence: minted by the faucet.
    public var supply: TokenAmount
    public var disputesOpened: UInt64
    /// Listings minted and purchases made: the last ids given out.
    public var listingCount: UInt64 = 0
    public var purchaseCount: UInt64 = 0
    /// What all open escrows hold: prices, and the fees of open disputes.
    public var escrowed: TokenAmount = .zero

    init(
        platformFeeBps: BasisPoints, treasury: EthereumAddress, arbiters: Set<EthereumAddress>, qaKeys: Set<String>,
        supply: TokenAmount, disputesOpened: UInt64
    ) {
        self.platformFeeBps = platformFeeBps
        self.treasury = treasury
        self.arbiters = arbiters
        self.qaKeys = qaKeys
        self.supply = supply
        self.disputesOpened = disputesOpened
    }

    enum CodingKeys: String, CodingKey {
        case platformFeeBps, treasury, arbiters, qaKeys, supply, disputesOpened, listingCount, purchaseCount, escrowed
    }

    /// Whether the record was written before the counters were kept (a stored ledger then needs them counted).
    public internal(set) var lacksCounters = false

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        platformFeeBps = try container.decode(BasisPoints.self, forKey: .platformFeeBps)
        treasury = try container.decode(EthereumAddress.self, forKey: .treasury)
        arbiters = try container.decode(Set<EthereumAddress>.self, forKey: .arbiters)
        qaKeys = try container.decode(Set<String>.self, forKey: .qaKeys)
        supply = try container.decode(TokenAmount.self, forKey: .supply)
        disputesOpened = try container.decode(UInt64.self, forKey: .disputesOpened)
        let listings = try container.decodeIfPresent(UInt64.self, forKey: .listingCount)
        lacksCounters = listings == nil
        listingCount = listings ?? 0
        purchaseCount = try container.decodeIfPresent(UInt64.self, forKey: .purchaseCount) ?? 0
        escrowed = try container.decodeIfPresent(TokenAmount.self, forKey: .escrowed) ?? .zero
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.platformFeeBps == rhs.platformFeeBps && lhs.treasury == rhs.treasury && lhs.arbiters == rhs.arbiters
            && lhs.qaKeys == rhs.qaKeys && lhs.supply == rhs.supply && lhs.disputesOpened == rhs.disputesOpened
            && lhs.listingCount == rhs.listingCount && lhs.purchaseCount == rhs.purchaseCount && lhs.escrowed == rhs.escrowed
    }
}

extension EthereumAddress {
    /// The zero address: "anyone" in offers, "minted" in transfers.
    public static let zero = try! EthereumAddress(bytes: [UInt8](repeating: 0, count: 20))
}
