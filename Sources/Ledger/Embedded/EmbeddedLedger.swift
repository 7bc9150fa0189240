import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// The embedded ledger: applies signed intents to the contracts' state, one after another, and appends each
/// accepted intent with its events to an RFC 9162 Merkle log in the database; publishes a C2SP checkpoint signed
/// with the node's key after every batch; serves entries, inclusion and consistency proofs, and events.
///
/// The state lives in memory and in `ledger_state`; a batch's entries, subtree hashes, events, state rows and
/// checkpoint are written in one transaction, so the database never holds half a batch. Batches are applied one at
/// a time, in order.
public actor EmbeddedLedger {
    public nonisolated let parameters: LedgerParameters
    let store: LedgerStore
    let signer: SignedNote.Signer
    let clock: @Sendable () -> UInt64
    let logger: Logger

    /// The contracts' state after the last entry.
    public private(set) var state: LedgerState
    /// The number of entries, genesis included.
    public private(set) var size: UInt64
    private var frontier: MerkleFrontier
    private var lastTime: UInt64
    private var writing = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// What an accepted intent became.
    public struct Receipt: Sendable {
        public let index: UInt64
        public let time: UInt64
        public let events: [LedgerEvent]
    }

    /// The current Unix time in seconds.
    public static let systemClock: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }

    /// Opens the ledger in `database` (its tables migrated), creating it with `parameters` if it is empty.
    /// - Parameters:
    ///   - parameters: The ledger to create, or to expect; nil to open whatever ledger the database holds.
    ///   - signer: Signs checkpoints; its name should be the ledger's origin.
    /// - Throws: ``LedgerError`` `.notInitialised` when the database is empty and no parameters are given, or holds a
    ///   ledger created with other parameters.
    public static func open(
        database: any Database, parameters: LedgerParameters?, signer: SignedNote.Signer,
        clock: @escaping @Sendable () -> UInt64 = systemClock, logger: Logger
    ) async throws -> EmbeddedLedger {
        let store = LedgerStore(database: database, logger: logger)
        let size = try await store.size()
        guard size > 0 else {
            guard let parameters else {
                throw LedgerError(.notInitialised, "this database holds no ledger yet; create one by opening it with the ledger's parameters")
            }
            let ledger = EmbeddedLedger(
                parameters: parameters, store: store, signer: signer, clock: clock, logger: logger, state: LedgerState(parameters: parameters),
                size: 0, frontier: MerkleFrontier(), lastTime: 0)
            try await ledger.writeGenesis()
            return ledger
        }
        guard let genesisLeaf = try await store.leaf(0), case .genesis(_, let stored) = try LogEntry(leaf: genesisLeaf.leaf, domain: nil) else {
            throw LedgerError(.tampered, "entry 0 of this ledger is not its genesis entry")
        }
        if let parameters, parameters != stored {
            throw LedgerError(
                .notInitialised,
                "this database holds ledger \(stored.ledgerID) (chain \(stored.chainID)) created with other parameters than the configured ones; its parameters are fixed at creation")
        }
        let state = try await LedgerStateRows.load(try await store.stateRows(), parameters: stored)
        let wanted = MerkleTree.frontier(size: Int(size))
        let nodes = try await store.nodes(wanted)
        let edge = try wanted.map { coordinate throws(LedgerError) in
            guard let hash = nodes[LedgerStore.nodeKey(level: coordinate.level, index: coordinate.index)] else {
                throw LedgerError(.tampered, "the stored tree lacks subtree \(coordinate.level)/\(coordinate.index)")
            }
            return (coordinate.level, coordinate.index, hash)
        }
        let lastTime = try await store.leaf(size - 1)?.time ?? 0
        return EmbeddedLedger(
            parameters: stored, store: store, signer: signer, clock: clock, logger: logger, state: state, size: size,
            frontier: MerkleFrontier(size: Int(size), nodes: edge), lastTime: lastTime)
    }

    private init(
        parameters: LedgerParameters, store: LedgerStore, signer: SignedNote.Signer, clock: @escaping @Sendable () -> UInt64,
        logger: Logger, state: LedgerState, size: UInt64, frontier: MerkleFrontier, lastTime: UInt64
    ) {
        self.parameters = parameters
        self.store = store
        self.signer = signer
        self.clock = clock
        self.logger = logger
        self.state = state
        self.size = size
        self.frontier = frontier
        self.lastTime = lastTime
    }

    /// The verifier key of the checkpoints' signer (`name+hash+base64key`).
    public nonisolated var verifierKey: String { signer.verifierKey }

    // MARK: Applying intents

    /// Applies one signed intent.
    /// - Throws: ``LedgerError`` when it is refused (state and log unchanged), or a database error.
    @discardableResult
    public func submit(_ intent: SignedIntent) async throws -> Receipt {
        try await submit([intent])[0].get()
    }

    /// Applies signed intents in order, each accepted or refused on its own, and writes the accepted ones with a
    /// new checkpoint in one transaction.
    /// - Throws: A database error, after which nothing of the batch is kept.
    public func submit(_ intents: [SignedIntent]) async throws -> [Result<Receipt, LedgerError>] {
        await lock()
        defer { unlock() }
        let now = max(clock(), lastTime)
        var batch = LedgerStore.Batch()
        var results: [Result<Receipt, LedgerError>] = []
        for signed in intents {
            do {
                let events = try state.apply(signed, at: now)
                let entry = LogEntry.intent(index: size, time: now, signed, events: events)
                append(entry, to: &batch)
                results.append(.success(Receipt(index: entry.index, time: now, events: events)))
            } catch {
                results.append(.failure(error))
            }
        }
        guard !batch.entries.isEmpty else { return results }
        do {
            try await finish(&batch, now: now)
        } catch {
            logger.error("writing ledger entries failed; reloading the ledger from the database", metadata: ["error": "\(error)"])
            try await reload()
            throw error
        }
        return results
    }

    private func writeGenesis() async throws {
        var batch = LedgerStore.Batch()
        let now = clock()
        append(.genesis(time: now, parameters: parameters), to: &batch)
        state.touched.insert(.governance)
        try await finish(&batch, now: now)
    }

    private func append(_ entry: LogEntry, to batch: inout LedgerStore.Batch) {
        let leaf = entry.leaf
        let leafHash = MerkleTree.leafHash(leaf)
        batch.entries.append((entry, leaf, leafHash))
        batch.nodes += frontier.append(leafHash: leafHash)
        size += 1
    }

    private func finish(_ batch: inout LedgerStore.Batch, now: UInt64) async throws {
        batch.state = LedgerStateRows.rows(of: state, keys: state.touched)
        state.clearTouched()
        let root = rootHash
        let checkpoint = Checkpoint(origin: parameters.origin, size: size, rootHash: root)
        batch.checkpoint = (size, root, try signer.sign(checkpoint.text))
        try await store.write(batch, now: now)
        lastTime = now
    }

    private func reload() async throws {
        let fresh = try await EmbeddedLedger.open(
            database: store.database, parameters: parameters, signer: signer, clock: clock, logger: logger)
        state = await fresh.state
        size = await fresh.size
        frontier = await fresh.frontierCopy
        lastTime = await fresh.lastTimeCopy
    }

    private var frontierCopy: MerkleFrontier { frontier }
    private var lastTimeCopy: UInt64 { lastTime }

    private func lock() async {
        if writing {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            writing = true
        }
    }

    private func unlock() {
        if waiting.isEmpty { writing = false } else { waiting.removeFirst().resume() }
    }

    // MARK: Reading the log

    /// The root hash of the whole log.
    public var rootHash: [UInt8] { frontier.root }

    /// The latest checkpoint, as a signed note.
    public func head() async throws -> String {
        guard let latest = try await store.latestCheckpoint() else { throw LedgerError(.notInitialised, "the ledger has no checkpoint yet") }
        return latest.note
    }

    /// Entry `index`'s leaf bytes, exactly as hashed.
    /// - Throws: ``LedgerError`` `.unknown` past the end of the log.
    public func entry(_ index: UInt64) async throws -> [UInt8] {
        guard index < size, let row = try await store.leaf(index) else {
            throw LedgerError(.unknown, "the log has entries 0 to \(size - 1); there is no entry \(index)")
        }
        return row.leaf
    }

    /// An inclusion proof of entry `index` in the tree of the first `treeSize` entries (default: all).
    public func inclusionProof(index: UInt64, treeSize: UInt64? = nil) async throws -> InclusionProof {
        let treeSize = treeSize ?? size
        guard treeSize <= size else {
            throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(treeSize)")
        }
        guard index < treeSize else {
            throw LedgerError(.invalidProofRequest, "entry \(index) is not in a tree of \(treeSize) entries")
        }
        let (leaf, count) = (Int(index), Int(treeSize))
        let nodes = try await fetch { node in
            _ = try node(0, leaf)
            _ = try MerkleTree.inclusionProof(index: leaf, size: count, node: node)
        }
        let path = try MerkleTree.inclusionProof(index: leaf, size: count, node: nodes)
        return InclusionProof(index: index, treeSize: treeSize, leafHash: try nodes(0, leaf), path: path)
    }

    /// A consistency proof between the trees of the first `from` and the first `to` entries.
    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        guard to <= size else { throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(to)") }
        guard from <= to else { throw LedgerError(.invalidProofRequest, "a tree of \(from) entries is not a prefix of one of \(to)") }
        let (old, new) = (Int(from), Int(to))
        let nodes = try await fetch { _ = try MerkleTree.consistencyProof(oldSize: old, size: new, node: $0) }
        return try MerkleTree.consistencyProof(oldSize: old, size: new, node: nodes)
    }

    /// The root hash of the tree of the first `treeSize` entries.
    public func rootHash(treeSize: UInt64) async throws -> [UInt8] {
        guard treeSize <= size else { throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(treeSize)") }
        let nodes = try await fetch { _ = try MerkleTree.root(size: Int(treeSize), node: $0) }
        return try MerkleTree.root(size: Int(treeSize), node: nodes)
    }

    /// Fetches, in one query, every stored subtree `body` reads, and returns them as a node source.
    private func fetch(_ body: (MerkleTree.NodeSource) throws -> Void) async throws -> MerkleTree.NodeSource {
        let fetched = try await store.nodes(try MerkleTree.subtreesRead(body))
        return { level, index in
            guard let hash = fetched[LedgerStore.nodeKey(level: level, index: index)] else {
                throw LedgerError(.tampered, "the stored tree lacks subtree \(level)/\(index)")
            }
            return hash
        }
    }

    /// Events, oldest first, of the entries after `afterIndex`, optionally only those about a listing or naming an
    /// account.
    public func events(listing: UInt64? = nil, account: EthereumAddress? = nil, after afterIndex: UInt64? = nil, limit: Int = 100) async throws -> [StoredEvent] {
        var conditions: [SQLQuery] = ["e.idx > \(afterIndex.map { Int64($0) } ?? -1)"]
        if let listing { conditions.append("e.listing_id = \(Int64(listing))") }
        if let account {
            conditions.append("EXISTS (SELECT 1 FROM ledger_event_accounts a WHERE a.account = \(account.key) AND a.idx = e.idx AND a.position = e.position)")
        }
        let rows = try await store.database.query(
            """
            SELECT e.idx, e.position, e.contract, e.name, e.fields, l.time FROM ledger_events e
            JOIN ledger_entries l ON l.idx = e.idx
            WHERE \(SQLQuery.joined(conditions, separator: " AND ")) ORDER BY e.idx, e.position LIMIT \(limit)
            """,
            logger: logger)
        return try rows.map { row in
            StoredEvent(
                index: UInt64(try row.decode("idx", as: Int64.self)), position: try row.decode("position"),
                time: UInt64(try row.decode("time", as: Int64.self)), event: try LedgerStore.event(row))
        }
    }
}

/// An inclusion proof as `lightbox ledger proof` prints it.
public struct InclusionProof: Sendable, Equatable {
    public let index: UInt64
    public let treeSize: UInt64
    public let leafHash: [UInt8]
    public let path: [[UInt8]]
}

/// An event with the entry it belongs to.
public struct StoredEvent: Sendable, Equatable {
    public let index: UInt64
    public let position: Int
    public let time: UInt64
    public let event: LedgerEvent
}
