public import LightboxCrypto

/// The contracts' state: Token balances and allowances, the DatasetRegistry's listings, purchases with their
/// escrows and licences, and what governance keeps. ``apply(_:at:)`` is the one way it changes.
///
/// Every handler checks everything before it changes anything, so a refused intent leaves the state exactly as it
/// was. The records an intent touched are collected in ``touched`` for whoever persists the state.
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

    public enum RecordKey: Hashable, Sendable {
        case account(EthereumAddress), listing(UInt64), purchase(UInt64), governance
    }

    public init(parameters: LedgerParameters) {
        self.parameters = parameters
        governance = GovernanceRecord(
            platformFeeBps: parameters.platformFeeBps, treasury: parameters.treasury,
            arbiters: Set(parameters.arbiters), qaKeys: Set(parameters.qaKeys), supply: .zero, disputesOpened: 0)
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
        for purchase in purchases.values.sorted(by: { $0.id < $1.id }) {
            licenceIndex[LicenceKey(buyer: purchase.buyer, listing: purchase.listingID), default: []].append(purchase.id)
        }
    }

    /// An account's record (a fresh one for an account never seen).
    public func account(_ address: EthereumAddress) -> AccountRecord { accounts[address] ?? AccountRecord() }

    public func balance(of address: EthereumAddress) -> TokenAmount { account(address).balance }

    /// The nonce `address`'s next intent must carry.
    public func nextNonce(of address: EthereumAddress) -> UInt64 { account(address).nonce }

    /// What all open escrows hold.
    public var escrowed: TokenAmount { purchases.values.reduce(.zero) { $0 + $1.held } }

    /// Verifies and applies one signed intent at time `now` (Unix seconds), returning the events it emitted.
    /// - Throws: ``LedgerError`` for an intent that is refused; the state is then unchanged.
    public mutating func apply(_ signed: SignedIntent, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        let intent = signed.intent
        try IntentVerifier(domain: parameters.domain).verify(signed, expectedNonce: nextNonce(of: intent.account), now: now)
        let events = try perform(try intent.action(), by: intent.account, at: now)
        update(intent.account) { $0.nonce += 1 }
        return events
    }

    /// Applies an action without a signature: for replaying a log whose signatures were checked, and for tests.
    mutating func perform(_ action: LedgerAction, by actor: EthereumAddress, at now: UInt64) throws(LedgerError) -> [LedgerEvent] {
        switch action {
        case .transfer(let to, let amount): return try transfer(from: actor, to: to, amount: amount)
        case .approve(let spender, let amount): return approve(owner: actor, spender: spender, amount: amount)
        case .transferFrom(let from, let to, let amount): return try transferFrom(spender: actor, from: from, to: to, amount: amount)
        case .faucet(let amount): return try faucet(to: actor, amount: amount)
        case .setOperator(let account, let active): return try setOperator(account, active: active, by: actor)
        case .setArbiter(let arbiter, let active): return try setArbiter(arbiter, active: active, by: actor)
        case .setQAKey(let key, let active): return try setQAKey(key, active: active, by: actor)
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

    mutating func update(_ address: EthereumAddress, _ change: (inout AccountRecord) -> Void) {
        change(&accounts[address, default: AccountRecord()])
        touched.insert(.account(address))
    }

    mutating func credit(_ address: EthereumAddress, _ amount: TokenAmount) {
        guard amount > .zero else { return }
        update(address) { $0.balance = $0.balance + amount }
    }

    mutating func debit(_ address: EthereumAddress, _ amount: TokenAmount) {
        guard amount > .zero else { return }
        update(address) { $0.balance = $0.balance - amount }
    }

    mutating func updateListing(_ id: UInt64, _ change: (inout ListingRecord) -> Void) {
        change(&listings[id]!)
        touched.insert(.listing(id))
    }

    mutating func updatePurchase(_ id: UInt64, _ change: (inout PurchaseRecord) -> Void) {
        change(&purchases[id]!)
        touched.insert(.purchase(id))
    }

    mutating func updateGovernance(_ change: (inout GovernanceRecord) -> Void) {
        change(&governance)
        touched.insert(.governance)
    }

    // MARK: Checks

    func requireFunds(_ address: EthereumAddress, _ amount: TokenAmount, for what: String) throws(LedgerError) {
        let balance = balance(of: address)
        guard balance >= amount else {
            throw LedgerError(
                .insufficientFunds,
                "\(address) has \(balance.tokenString) tokens, \(amount.tokenString) are needed for \(what)")
        }
    }

    /// The amount `address` would hold after receiving `amount`: refuses an overflow before anything changes.
    func requireRoom(_ address: EthereumAddress, _ amount: TokenAmount) throws(LedgerError) {
        guard balance(of: address).adding(amount) != nil, governance.supply.adding(amount) != nil else {
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
    /// Ed25519 public keys (hex) whose attestations the registry accepts.
    public var qaKeys: Set<String>
    /// Every token in existence: minted by the faucet.
    public var supply: TokenAmount
    public var disputesOpened: UInt64
}

extension EthereumAddress {
    /// The zero address: "anyone" in offers, "minted" in transfers.
    public static let zero = try! EthereumAddress(bytes: [UInt8](repeating: 0, count: 20))
}
