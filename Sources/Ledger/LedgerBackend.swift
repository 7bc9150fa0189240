public import LightboxCrypto

/// What the marketplace needs of a ledger, whichever keeps it — the embedded ledger in the node's database, or
/// contracts on an EVM chain: the EIP-712 domain intents are signed under, submitting signed intents, the records
/// intents act on, and the events they emitted. Nothing outside `Ledger` depends on how a backend keeps them.
public protocol LedgerBackend: Sendable {
    /// The ledger's parameters as it was created: its identity (hence the EIP-712 domain), governance, fees and
    /// periods.
    var parameters: LedgerParameters { get }

    /// Applies signed intents in order, each accepted or refused on its own.
    /// - Throws: A storage or network error, after which none of the intents is applied.
    func submit(_ intents: [SignedIntent]) async throws -> [Result<LedgerReceipt, LedgerError>]

    /// Signs each action as `key`'s account, with the nonce the account has when the ledger applies it, and applies
    /// them in order, each accepted or refused on its own: how a node relays what it does for others (deliveries,
    /// releases) without racing its other processes for the account's nonces. The intents stay valid for `seconds`.
    /// - Throws: A storage or network error, after which none of the actions is applied.
    func submit(_ actions: [LedgerAction], signedBy key: Secp256k1.PrivateKey, validFor seconds: UInt64) async throws
        -> [Result<LedgerReceipt, LedgerError>]

    /// An account's balance, nonce, allowances and operators (a fresh record for an account never seen).
    func account(_ address: EthereumAddress) async throws -> AccountRecord
    func listing(_ id: UInt64) async throws -> ListingRecord?
    /// The listing (not delisted) of a dataset's manifest.
    func listing(manifestCID: String) async throws -> ListingRecord?
    /// A purchase: its escrow and the licence it issued.
    func purchase(_ id: UInt64) async throws -> PurchaseRecord?
    /// Many records in one read, by id (those that do not exist are left out; accounts never seen are fresh).
    func records(purchases: Set<UInt64>, listings: Set<UInt64>, accounts: Set<EthereumAddress>) async throws -> RecordBatch
    /// The arbiters, QA keys, fee and treasury, and the ledger's counters.
    func governance() async throws -> GovernanceRecord
    /// An account's record and the governance record, read together (what an account's roles are read from).
    func accountAndGovernance(_ address: EthereumAddress) async throws -> (account: AccountRecord, governance: GovernanceRecord)

    /// Events, oldest first, of the entries after `after`, optionally only those about a listing or naming an
    /// account: the feed the marketplace's reactions and projection follow from a cursor.
    func events(listing: UInt64?, account: EthereumAddress?, after: UInt64?, limit: Int) async throws -> [StoredEvent]

    /// The transparency log with its proofs, for a backend that keeps one.
    var log: (any LedgerLog)? { get }

    /// The EIP-712 domain intents of `type` are signed under: one for every type on the embedded ledger; on a chain,
    /// the domain of the contract that executes the type.
    func domain(for intentType: String) -> IntentDomain

    /// The nonce `address`'s next intent of `type` must carry (on a chain each contract counts its own).
    func nextNonce(of address: EthereumAddress, for intentType: String) async throws -> UInt64

    /// The nonce `address`'s next intent must carry at each verifying contract that executes an intent type, by
    /// the contract's address; `record` is the account as just read (the embedded ledger's one nonce is in it).
    func intentNonces(of address: EthereumAddress, record: AccountRecord) async throws -> [EthereumAddress: UInt64]

    /// Brings the records and the event feed up to date with what others did: on a chain, indexes the confirmed
    /// blocks not read yet; the embedded ledger's database is always current.
    func synchronise() async throws
}

extension LedgerBackend {
    /// The EIP-712 domain intents for this ledger are signed under, where one domain serves every type (the
    /// embedded ledger); on a chain use ``domain(for:)``.
    public var domain: IntentDomain { parameters.domain }

    public func domain(for intentType: String) -> IntentDomain { parameters.domain }

    public func nextNonce(of address: EthereumAddress, for intentType: String) async throws -> UInt64 {
        try await account(address).nonce
    }

    public func synchronise() async throws {}

    public func accountAndGovernance(_ address: EthereumAddress) async throws -> (account: AccountRecord, governance: GovernanceRecord) {
        (try await account(address), try await governance())
    }

    public func intentNonces(of address: EthereumAddress, record: AccountRecord) async throws -> [EthereumAddress: UInt64] {
        Dictionary(contractsWithAType.map { ($0.contract, record.nonce) }) { first, _ in first }
    }

    /// Each verifying contract with one intent type it executes (the embedded ledger has one for all types).
    public var contractsWithAType: [(contract: EthereumAddress, type: String)] {
        var seen = [EthereumAddress: String]()
        for type in LedgerAction.ownFields.keys.sorted() where seen[domain(for: type).verifyingContract] == nil {
            seen[domain(for: type).verifyingContract] = type
        }
        return seen.map { ($0.key, $0.value) }
    }

    /// Reads a signed intent's wire form under the domain of its type.
    /// - Throws: ``LedgerError`` `.invalidIntent` naming what does not fit.
    public func signedIntent(wireJSON: [UInt8]) throws(LedgerError) -> SignedIntent {
        let type = (try? JSONValue.parse(wireJSON))?["primaryType"]?.string ?? ""
        return try SignedIntent(wireJSON: wireJSON, domain: domain(for: type))
    }

    /// Applies one signed intent.
    /// - Throws: ``LedgerError`` when it is refused, or a storage error.
    @discardableResult
    public func submit(_ intent: SignedIntent) async throws -> LedgerReceipt {
        try await submit([intent])[0].get()
    }

    /// The nonce `address`'s next intent must carry.
    public func nextNonce(of address: EthereumAddress) async throws -> UInt64 {
        try await account(address).nonce
    }

    /// Events after `after`, all of them.
    public func events(after: UInt64?, limit: Int) async throws -> [StoredEvent] {
        try await events(listing: nil, account: nil, after: after, limit: limit)
    }
}

/// What an accepted intent became: its place in the ledger and the events it emitted.
public struct LedgerReceipt: Sendable {
    public let index: UInt64
    public let time: UInt64
    public let events: [LedgerEvent]

    public init(index: UInt64, time: UInt64, events: [LedgerEvent]) {
        self.index = index
        self.time = time
        self.events = events
    }
}

/// An event with the entry it belongs to.
public struct StoredEvent: Sendable, Equatable {
    public let index: UInt64
    public let position: Int
    public let time: UInt64
    public let event: LedgerEvent
    /// On a chain: the transaction that emitted the event and its block, where anyone can check it.
    public let transaction: [UInt8]?
    public let block: UInt64?

    public init(index: UInt64, position: Int, time: UInt64, event: LedgerEvent, transaction: [UInt8]? = nil, block: UInt64? = nil) {
        self.index = index
        self.position = position
        self.time = time
        self.event = event
        self.transaction = transaction
        self.block = block
    }
}
