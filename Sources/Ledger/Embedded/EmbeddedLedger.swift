import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// The embedded ledger: applies signed intents to the contracts' state, one batch after another, and appends each
/// accepted intent with its events to an RFC 9162 Merkle log in the database; publishes a C2SP checkpoint signed
/// with the node's key after every batch; serves entries, inclusion and consistency proofs, and events.
///
/// The database is the ledger: any number of processes may open the same one. A batch runs in one transaction that
/// first takes the ledger's append lock (an advisory lock on PostgreSQL, the write lock on SQLite), then reads the
/// log's tip and the records its intents need as the last entry left them, whichever process wrote it, and writes
/// the entries, subtree hashes, events, state rows and checkpoint together: the database never holds half a batch,
/// and the checkpoints of every process are one log. Only the records a batch touches are in memory.
public actor EmbeddedLedger: LedgerBackend, LedgerLog {
    public nonisolated let parameters: LedgerParameters
    /// The one EIP-712 domain every intent type is signed under (``LedgerParameters/domain``, made once).
    public nonisolated let domain: IntentDomain
    let store: LedgerStore
    let signer: SignedNote.Signer
    let clock: @Sendable () -> UInt64
    let logger: Logger

    /// The right edge of the tree as this process last wrote or read it; checked against the log's size under the
    /// lock before it is used.
    private var frontier: MerkleFrontier?
    /// Whether a batch is being written; submissions wait in `pending` meanwhile.
    private var writing = false
    private var pending: [(requests: [Request], continuation: CheckedContinuation<[Result<LedgerReceipt, LedgerError>], any Error>)] = []

    /// An intent to apply: signed by its account, or an action the node signs as it applies it.
    private enum Request {
        case signed(SignedIntent)
        case signing(LedgerAction, key: Secp256k1.PrivateKey, deadline: UInt64)
    }

    /// The name of the lock every batch takes.
    static let appendLock = "lightbox.ledger.append"

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
        if try await store.size() == 0 {
            guard let parameters else {
                throw LedgerError(.notInitialised, "this database holds no ledger yet; create one by opening it with the ledger's parameters")
            }
            try await writeGenesis(parameters, store: store, signer: signer, now: clock())
        }
        let stored = try await genesisParameters(store)
        if let parameters, parameters != stored {
            throw LedgerError(
                .notInitialised,
                "this database holds ledger \(stored.ledgerID) (chain \(stored.chainID)) created with other parameters than the configured ones; its parameters are fixed at creation")
        }
        try await LedgerUpgrade.countersAndLookups(store: store)
        return EmbeddedLedger(parameters: stored, store: store, signer: signer, clock: clock, logger: logger)
    }

    /// The parameters in the genesis entry of the ledger `database` holds.
    public static func genesisParameters(of database: any Database, logger: Logger) async throws -> LedgerParameters {
        try await genesisParameters(LedgerStore(database: database, logger: logger))
    }

    private static func genesisParameters(_ store: LedgerStore) async throws -> LedgerParameters {
        guard let genesisLeaf = try await store.leaf(0) else {
            throw LedgerError(.notInitialised, "this database holds no ledger yet")
        }
        guard case .genesis(_, let stored) = try LogEntry(leaf: genesisLeaf.leaf, domain: nil) else {
            throw LedgerError(.tampered, "entry 0 of this ledger is not its genesis entry")
        }
        return stored
    }

    /// Writes entry 0 unless another process has written it first.
    private static func writeGenesis(_ parameters: LedgerParameters, store: LedgerStore, signer: SignedNote.Signer, now: UInt64) async throws {
        try await store.database.withTransaction(logger: store.logger) { connection in
            try await connection.lock(appendLock)
            guard try await LedgerStore.tip(on: connection).size == 0 else { return }
            var state = LedgerState(parameters: parameters)
            state.touched.insert(.governance)
            var frontier = MerkleFrontier()
            var batch = LedgerStore.Batch()
            append(.genesis(time: now, parameters: parameters), to: &batch, frontier: &frontier)
            try seal(&batch, state: state, frontier: frontier, origin: parameters.origin, signer: signer)
            try await store.write(batch, now: now, on: connection)
        }
    }

    private init(parameters: LedgerParameters, store: LedgerStore, signer: SignedNote.Signer, clock: @escaping @Sendable () -> UInt64, logger: Logger) {
        self.parameters = parameters
        self.domain = parameters.domain
        self.store = store
        self.signer = signer
        self.clock = clock
        self.logger = logger
    }

    public nonisolated func domain(for intentType: String) -> IntentDomain { domain }

    /// The verifier key of the checkpoints' signer (`name+hash+base64key`).
    public nonisolated var verifierKey: String { signer.verifierKey }

    public nonisolated var log: (any LedgerLog)? { self }

    // MARK: Applying intents

    /// Applies signed intents in order, each accepted or refused on its own, and writes the accepted ones with a
    /// new checkpoint in one transaction. Submissions that arrive while a batch is being written wait, and are then
    /// written together as the next batch (group commit), each caller receiving its own results; a batch takes what
    /// waits only once it holds the append lock, so what arrived while another process held it is written with it.
    /// - Throws: A database error, after which nothing of the batch is kept.
    public func submit(_ intents: [SignedIntent]) async throws -> [Result<LedgerReceipt, LedgerError>] {
        try await enqueue(intents.map(Request.signed))
    }

    /// Signs each action with `key`'s next nonce as the batch applying it has it (inside the append lock, so no
    /// other process can take that nonce first, and an action refused leaves no gap), and applies them in order.
    public func submit(
        _ actions: [LedgerAction], signedBy key: Secp256k1.PrivateKey, validFor seconds: UInt64
    ) async throws -> [Result<LedgerReceipt, LedgerError>] {
        let deadline = clock() + seconds
        return try await enqueue(actions.map { .signing($0, key: key, deadline: deadline) })
    }

    private func enqueue(_ requests: [Request]) async throws -> [Result<LedgerReceipt, LedgerError>] {
        guard !requests.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((requests, continuation))
            if !writing {
                writing = true
                Task { await writePending() }
            }
        }
    }

    /// Writes the waiting submissions, as many per batch as ``maxBatch`` allows, until none wait.
    private func writePending() async {
        while !pending.isEmpty {
            let taken = Taken()
            do {
                var results = try await write { await self.takeBatch(into: taken) }[...]
                for (requests, continuation) in taken.group {
                    continuation.resume(returning: Array(results.prefix(requests.count)))
                    results = results.dropFirst(requests.count)
                }
            } catch {
                // Failed before the batch was taken (no connection, say): the submissions waiting now get the error.
                if !taken.isTaken { _ = takeBatch(into: taken) }
                for (_, continuation) in taken.group { continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    private typealias Waiting = (requests: [Request], continuation: CheckedContinuation<[Result<LedgerReceipt, LedgerError>], any Error>)

    /// The submissions one batch took, once it holds the append lock.
    private final class Taken: @unchecked Sendable {
        var group: [Waiting] = []
        var isTaken = false
    }

    /// Takes the waiting submissions for a batch: up to ``maxBatch`` intents (a single larger submission whole).
    private func takeBatch(into taken: Taken) -> [Request] {
        var count = 0
        var number = 0
        while number < pending.count, number == 0 || count + pending[number].requests.count <= Self.maxBatch {
            count += pending[number].requests.count
            number += 1
        }
        taken.group = Array(pending.prefix(number))
        taken.isTaken = true
        pending.removeFirst(number)
        return taken.group.flatMap(\.requests)
    }

    /// The most intents one batch takes from waiting submissions (a single larger submission is one batch still).
    static let maxBatch = 500

    /// One batch: the append lock, then the submissions waiting by then (`take`: those that arrived while another
    /// process held the lock join this batch), the log's tip, the records the intents need, and everything written
    /// together.
    private func write(_ take: @escaping @Sendable () async -> [Request]) async throws -> [Result<LedgerReceipt, LedgerError>] {
        let known = frontier
        frontier = nil  // until the batch commits
        let (parameters, store, signer, clock) = (parameters, store, signer, clock)
        let outcome = try await store.database.withTransaction(logger: logger) { connection in
            try await connection.lock(Self.appendLock)
            let requests = await take()
            let tip = try await LedgerStore.tip(on: connection)
            var frontier = try await Self.frontier(size: tip.size, known: known, on: connection)
            let now = max(clock(), tip.time)
            let keys = requests.flatMap { request in
                switch request {
                case .signed(let signed): WorkingSet.recordKeys(of: signed.intent)
                case .signing(let action, let key, _): WorkingSet.recordKeys(of: action, by: EthereumAddress(publicKey: key.publicKey))
                }
            }
            var working = try await WorkingSet(parameters: parameters, keys: Set(keys), on: connection)
            var batch = LedgerStore.Batch()
            var results: [Result<LedgerReceipt, LedgerError>] = []
            for request in requests {
                let signed: SignedIntent
                switch request {
                case .signed(let intent): signed = intent
                case .signing(let action, let key, let deadline):
                    let account = EthereumAddress(publicKey: key.publicKey)
                    do throws(LedgerError) {
                        signed = try Intent(action, account: account, nonce: working.state.nextNonce(of: account), deadline: deadline)
                            .signed(by: key, domain: parameters.domain)
                    } catch {
                        results.append(.failure(error))
                        continue
                    }
                }
                switch try await working.apply(signed, at: now) {
                case .success(let events):
                    let index = UInt64(frontier.size)
                    Self.append(.intent(index: index, time: now, signed, events: events), to: &batch, frontier: &frontier)
                    results.append(.success(LedgerReceipt(index: index, time: now, events: events)))
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            if !batch.entries.isEmpty {
                try Self.seal(&batch, state: working.state, frontier: frontier, origin: parameters.origin, signer: signer)
                try await store.write(batch, now: now, on: connection)
            }
            return (results, frontier)
        }
        frontier = outcome.1
        return outcome.0
    }

    /// The frontier of a log of `size` entries: the one this process knows when the log has not grown since, else
    /// read from the stored subtrees.
    private static func frontier(size: UInt64, known: MerkleFrontier?, on connection: any DatabaseConnection) async throws -> MerkleFrontier {
        if let known, known.size == Int(size) { return known }
        let wanted = MerkleTree.frontier(size: Int(size))
        let nodes = try await LedgerStore.nodes(wanted, on: connection)
        let edge = try wanted.map { coordinate throws(LedgerError) in
            guard let hash = nodes[LedgerStore.nodeKey(level: coordinate.level, index: coordinate.index)] else {
                throw LedgerError(.tampered, "the stored tree lacks subtree \(coordinate.level)/\(coordinate.index)")
            }
            return (coordinate.level, coordinate.index, hash)
        }
        return MerkleFrontier(size: Int(size), nodes: edge)
    }

    private static func append(_ entry: LogEntry, to batch: inout LedgerStore.Batch, frontier: inout MerkleFrontier) {
        let leaf = entry.leaf
        let leafHash = MerkleTree.leafHash(leaf)
        batch.entries.append((entry, leaf, leafHash))
        batch.nodes += frontier.append(leafHash: leafHash)
    }

    /// Adds the touched records and the signed checkpoint of the log after the batch.
    private static func seal(
        _ batch: inout LedgerStore.Batch, state: LedgerState, frontier: MerkleFrontier, origin: String, signer: SignedNote.Signer
    ) throws {
        batch.state = LedgerStateRows.rows(of: state, keys: state.touched)
        let (size, root) = (UInt64(frontier.size), frontier.root)
        batch.checkpoint = (size, root, try signer.sign(Checkpoint(origin: origin, size: size, rootHash: root).text))
    }
}
