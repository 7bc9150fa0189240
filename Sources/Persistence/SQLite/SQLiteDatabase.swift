public import Logging
import NIOPosix
import Synchronization

/// The embedded backend: one SQLite file, one connection per process, its calls on a dedicated thread.
///
/// Callers take turns on the connection (a FIFO lease), so a transaction sees no other caller's statements.
/// SQLite's own file locking (WAL mode, a busy time-out) keeps other processes that open the same file safe.
public final class SQLiteDatabase: Database {
    public let dialect = SQLDialect.sqlite
    public var location: String { "sqlite:\(path)" }

    /// The database file.
    public let path: String
    private let handle: SendableHandle
    private let thread: NIOThreadPool
    private let lease = AsyncLease()
    private let hub = NotificationHub()

    /// `SQLiteHandle` is used only while its lease is held, and then only on `thread`: one caller at a time.
    private struct SendableHandle: @unchecked Sendable {
        let value: SQLiteHandle
    }

    /// Opens or creates the database file.
    /// - Parameters:
    ///   - path: The file; its directory must exist.
    ///   - busyTimeout: How long to wait for another process's write lock before failing with `busy`.
    /// - Throws: ``DatabaseError`` with code `notWritable` when the file cannot be created or written.
    public init(path: String, busyTimeout: Duration = .seconds(5)) async throws {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let milliseconds = Int32(busyTimeout.components.seconds * 1000)
        do {
            self.handle = try await thread.runIfActive {
                SendableHandle(value: try SQLiteHandle(path: path, busyTimeoutMilliseconds: milliseconds))
            }
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
        self.thread = thread
        self.path = path
    }

    public func withConnection<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await lease.withLease {
            try await body(SQLiteConnection(database: self, logger: logger))
        }
    }

    public func withTransaction<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await lease.withLease {
            // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on an upgrade.
            try await SQLiteConnection(database: self, logger: logger).runTransaction(
                begin: "BEGIN IMMEDIATE", logger: logger, body
            )
        }
    }

    public func notify(_ channel: String, payload: String, on connection: any DatabaseConnection) async throws {
        hub.post(channel, payload: payload)
    }

    public func notifications(_ channel: String, logger: Logger) -> AsyncStream<String> {
        hub.subscribe(channel)
    }

    public func close() async {
        hub.finishAll()
        let handle = self.handle
        _ = try? await lease.withLease {
            try await thread.runIfActive { handle.value.close() }
        }
        try? await thread.shutdownGracefully()
    }

    /// Runs one statement on the database thread.
    func run(_ query: SQLQuery) async throws -> (rows: [SQLRow], changes: Int) {
        let sql = query.sql(for: .sqlite)
        let binds = query.binds
        let handle = self.handle
        do {
            return try await thread.runIfActive { try handle.value.run(sql, binds: binds) }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.closed, "the SQLite database \(path) is closed")
        }
    }
}

/// A leased view of ``SQLiteDatabase``'s connection.
struct SQLiteConnection: DatabaseConnection {
    let database: SQLiteDatabase
    let logger: Logger
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await database.run(query).rows
    }

    @discardableResult
    func execute(_ query: SQLQuery) async throws -> Int {
        try await database.run(query).changes
    }
}
