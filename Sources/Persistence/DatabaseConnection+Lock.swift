extension DatabaseConnection {
    /// Holds the lock called `name` until the current transaction ends, so that transactions naming the same lock
    /// run their check-then-act one after another. On PostgreSQL it is a transaction-scoped advisory lock on the
    /// name's 64-bit hash; on SQLite every write transaction already holds the database's one write lock
    /// (`BEGIN IMMEDIATE`), so nothing more is taken. Call it only inside a transaction.
    public func lock(_ name: String) async throws {
        if dialect == .postgres {
            try await query("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))")
        }
    }
}
