import LightboxCrypto
public import Logging
public import Persistence

/// Replays a ledger's whole log from its first entry and checks that every stored row fits: each entry's leaf
/// hash, index and time; each intent's signature, nonce and deadline, and the events it emits on replay; the
/// event index; every stored subtree hash; every checkpoint's root and signature; and finally the stored state
/// against the replayed one. The first row that does not fit is named in the error.
public enum LedgerAudit {
    public struct Report: Sendable, Equatable {
        public let entries: UInt64
        public let checkpoints: Int
        public let rootHash: [UInt8]
    }

    /// - Parameter verifier: The checkpoint signer's key; checkpoints are checked against it.
    /// - Throws: ``LedgerError`` `.tampered` naming the first entry, checkpoint or record that does not fit.
    public static func verify(database: any Database, verifier: SignedNote.Verifier, logger: Logger, pageSize: Int = 2_000) async throws -> Report {
        var checkpoints: [UInt64: (root: [UInt8], note: String)] = [:]
        for row in try await database.query("SELECT size, root_hash, note FROM ledger_checkpoints", logger: logger) {
            checkpoints[UInt64(try row.decode("size", as: Int64.self))] = (try row.decode("root_hash"), try row.decode("note"))
        }
        var state: LedgerState?
        var frontier = MerkleFrontier()
        var next: UInt64 = 0
        var lastTime: UInt64 = 0
        var checked = 0
        while true {
            let rows = try await database.query(
                "SELECT idx, time, kind, account, leaf, leaf_hash FROM ledger_entries WHERE idx >= \(Int64(next)) ORDER BY idx LIMIT \(pageSize)",
                logger: logger)
            guard !rows.isEmpty else { break }
            let last = UInt64(try rows.last!.decode("idx", as: Int64.self))
            let storedEvents = try await events(database, from: next, through: last, logger: logger)
            var produced: [(level: Int, index: Int, hash: [UInt8])] = []
            for row in rows {
                let index = UInt64(try row.decode("idx", as: Int64.self))
                guard index == next else {
                    throw LedgerError(.tampered, "entry \(next) is missing: the next stored entry is \(index)")
                }
                func fail(_ what: String) -> LedgerError { LedgerError(.tampered, "entry \(index) does not fit: \(what)") }
                let leaf: [UInt8] = try row.decode("leaf")
                let leafHash = MerkleTree.leafHash(leaf)
                guard leafHash == (try row.decode("leaf_hash", as: [UInt8].self)) else { throw fail("its stored leaf hash is not the hash of its bytes") }
                let entry: LogEntry
                do {
                    entry = try LogEntry(leaf: leaf, domain: state?.parameters.domain)
                } catch {
                    throw fail(error.message)
                }
                guard entry.index == index else { throw fail("it holds the bytes of entry \(entry.index) (rows reordered)") }
                guard entry.time >= lastTime, entry.time == UInt64(try row.decode("time", as: Int64.self)) else {
                    throw fail("its time is before the previous entry's, or not the time stored beside it")
                }
                lastTime = entry.time
                switch entry {
                case .genesis(_, let parameters):
                    guard index == 0 else { throw fail("a genesis entry after the first") }
                    state = LedgerState(parameters: parameters)
                case .intent(_, let time, let signed, let events):
                    guard var current = state else { throw fail("an intent before the genesis entry") }
                    guard (try row.decode("account", as: String?.self)) == signed.intent.account.key else {
                        throw fail("the account stored beside it is not the intent's")
                    }
                    let replayed: [LedgerEvent]
                    do {
                        replayed = try current.apply(signed, at: time)
                    } catch {
                        throw fail("the intent is refused on replay: \(error.message)")
                    }
                    guard replayed == events else { throw fail("its events are not the events the intent emits on replay") }
                    current.clearTouched()
                    state = current
                }
                guard (storedEvents[index] ?? []) == entry.events else { throw fail("the event rows stored for it are not its events") }
                produced += frontier.append(leafHash: leafHash)
                next = index + 1
                if let checkpoint = checkpoints.removeValue(forKey: next) {
                    let root = frontier.root
                    let text: String
                    do {
                        text = try SignedNote.open(checkpoint.note, verifiers: [verifier]).text
                    } catch {
                        throw LedgerError(.tampered, "the checkpoint at size \(next) (after entry \(index)) is not signed by \(verifier.name): \(error.message)")
                    }
                    guard checkpoint.root == root, let parsed = try? Checkpoint(text: text), parsed.rootHash == root, parsed.size == next else {
                        throw LedgerError(.tampered, "the checkpoint at size \(next) does not fit the log up to entry \(index): its root differs")
                    }
                    checked += 1
                }
            }
            let stored = try await LedgerStore(database: database, logger: logger).nodes(produced.map { ($0.level, $0.index) })
            for node in produced where stored[LedgerStore.nodeKey(level: node.level, index: node.index)] != node.hash {
                throw LedgerError(
                    .tampered, "entry \(node.index << node.level) does not fit: the stored tree hash \(node.level)/\(node.index) is not the replayed one")
            }
        }
        if let beyond = checkpoints.keys.min() {
            throw LedgerError(.tampered, "entry \(next) is missing: a checkpoint covers \(beyond) entries but the log ends at \(next)")
        }
        guard let state else { throw LedgerError(.notInitialised, "the database holds no ledger") }
        let storedState = try LedgerStateRows.load(try await LedgerStore(database: database, logger: logger).stateRows(), parameters: state.parameters)
        if let difference = firstDifference(storedState, state) {
            throw LedgerError(.tampered, "the stored state of \(difference) is not what replaying the log gives")
        }
        return Report(entries: next, checkpoints: checked, rootHash: frontier.root)
    }

    private static func events(_ database: any Database, from: UInt64, through: UInt64, logger: Logger) async throws -> [UInt64: [LedgerEvent]] {
        var events: [UInt64: [LedgerEvent]] = [:]
        let rows = try await database.query(
            "SELECT idx, contract, name, fields FROM ledger_events WHERE idx >= \(Int64(from)) AND idx <= \(Int64(through)) ORDER BY idx, position",
            logger: logger)
        for row in rows {
            events[UInt64(try row.decode("idx", as: Int64.self)), default: []].append(try LedgerStore.event(row))
        }
        return events
    }

    private static func firstDifference(_ stored: LedgerState, _ replayed: LedgerState) -> String? {
        if stored.governance != replayed.governance { return "governance" }
        for address in Set(stored.accounts.keys).union(replayed.accounts.keys).sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) })
        where stored.account(address) != replayed.account(address) {
            return "account \(address)"
        }
        for id in Set(stored.listings.keys).union(replayed.listings.keys).sorted() where stored.listings[id] != replayed.listings[id] {
            return "listing \(id)"
        }
        for id in Set(stored.purchases.keys).union(replayed.purchases.keys).sorted() where stored.purchases[id] != replayed.purchases[id] {
            return "purchase \(id)"
        }
        return nil
    }
}
