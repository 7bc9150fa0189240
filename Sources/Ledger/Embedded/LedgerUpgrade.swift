import Persistence

/// Brings a ledger stored by an earlier version up to date, once, under the append lock: its governance row gains
/// the counters (listings, purchases, what escrows hold) and its state rows their lookups, both computed from the
/// whole state, which such a ledger is small enough to hold.
enum LedgerUpgrade {
    static func countersAndLookups(store: LedgerStore) async throws {
        guard try await store.records([.governance]).governance?.lacksCounters == true else { return }
        try await store.database.withTransaction(logger: store.logger) { connection in
            try await connection.lock(EmbeddedLedger.appendLock)
            let rows = try await connection.query("SELECT kind, id, value FROM ledger_state").map {
                (kind: try $0.decode("kind", as: String.self), id: try $0.decode("id", as: String.self), value: try $0.decode("value", as: String.self))
            }
            // Another process may have upgraded it while this one waited for the lock.
            guard try LedgerStateRows.records(rows.filter { $0.kind == "governance" }).governance?.lacksCounters == true else { return }
            guard let genesis = try await connection.query("SELECT leaf FROM ledger_entries WHERE idx = 0").first,
                  case .genesis(_, let parameters) = try LogEntry(leaf: try genesis.decode("leaf"), domain: nil)
            else { throw LedgerError(.tampered, "entry 0 of this ledger is not its genesis entry") }
            let state = try LedgerStateRows.load(rows, parameters: parameters)
            var batch = LedgerStore.Batch()
            batch.state = LedgerStateRows.allRows(of: state)
            try await store.write(batch, now: 0, on: connection)
        }
    }
}
