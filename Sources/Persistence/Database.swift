public import Logging

/// A database Lightbox keeps its state in: a SQLite file (embedded) or a PostgreSQL server (scale-out).
///
/// Both backends run the same SQL (see ``SQLDialect`` for the few differences) and the same test suite.
/// ```swift
/// try await database.withTransaction(logger: logger) { connection in
///     try await connection.execute("UPDATE listings SET price = \(price) WHERE id = \(id)")
///     try await queue.enqueue(job, on: connection)   // commits or rolls back together
/// }
/// ```
public protocol Database: Sendable {
    /// The SQL flavour of this backend.
    var dialect: SQLDialect { get }

    /// Where the data lives, with any password redacted; safe to log.
    var location: String { get }

    /// Leases a connection for `body`, outside any transaction (each statement commits on its own).
    /// The connection must not escape `body`.
    @discardableResult
    func withConnection<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result

    /// Runs `body` in a transaction: it commits when `body` returns and rolls back when it throws.
    /// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`).
    @discardableResult
    func withTransaction<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result

    /// Releases connections and threads. Statements after `close()` fail with ``DatabaseError/Code/closed``.
    func close() async

    /// Wakes the listeners of `channel`. Sent inside a transaction, PostgreSQL delivers it when the transaction
    /// commits (and drops it on rollback); SQLite delivers it to listeners in this process at once, and they reach
    /// the data only after the transaction ends, because they wait for the same connection.
    func notify(_ channel: String, payload: String, on connection: any DatabaseConnection) async throws

    /// The payloads sent to `channel` (by any process on PostgreSQL, by this process on SQLite) until the consumer
    /// stops iterating. On PostgreSQL it reconnects by itself and yields an empty payload each time it starts listening (the
    /// first time too), since notifications sent before that are lost: a consumer should then look for work it may
    /// have missed.
    func notifications(_ channel: String, logger: Logger) -> AsyncStream<String>
}

/// A leased connection. Only valid inside the closure that received it.
public protocol DatabaseConnection: Sendable {
    /// The SQL flavour of this connection.
    var dialect: SQLDialect { get }

    /// Runs a statement and returns every row it produced.
    @discardableResult
    func query(_ query: SQLQuery) async throws -> [SQLRow]

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ query: SQLQuery) async throws -> Int
}

extension Database {
    /// Runs one statement on a leased connection and returns its rows.
    @discardableResult
    public func query(_ query: SQLQuery, logger: Logger) async throws -> [SQLRow] {
        try await withConnection(logger: logger) { try await $0.query(query) }
    }

    /// Runs one statement on a leased connection and returns how many rows it changed.
    @discardableResult
    public func execute(_ query: SQLQuery, logger: Logger) async throws -> Int {
        try await withConnection(logger: logger) { try await $0.execute(query) }
    }
}
