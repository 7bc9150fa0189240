public import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// The scale-out backend: a pool of connections to one PostgreSQL server, shared by any number of processes.
///
/// The pool reconnects by itself when the server restarts; a statement that was cut off fails with
/// ``DatabaseError/Code/connectionLost`` and may be retried.
public final class PostgresDatabase: Database {
    public let dialect = SQLDialect.postgres
    public var location: String { DatabaseLocation.postgres(settings).description }

    /// The longest a statement may wait for its answer before its connection is closed and the statement fails.
    public static let statementTimeout: Duration = .seconds(10)

    let settings: DatabaseLocation.PostgresSettings
    let connectionConfiguration: PostgresConnection.Configuration
    private let pool: PostgresConnectionPool
    private let closed = Atomic<Bool>(false)

    /// Connects to the server, checking reachability and credentials first so that a mistake fails here,
    /// with one clear message, rather than on the first query.
    /// - Parameters:
    ///   - settings: Host, port, credentials and TLS policy.
    ///   - maximumConnections: The pool's size.
    ///   - logger: Where the pool logs reconnects and failures.
    /// - Throws: ``DatabaseError`` with code `unreachable`, `authenticationFailed` or `databaseMissing`.
    public init(settings: DatabaseLocation.PostgresSettings, maximumConnections: Int = 10, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: try Self.connectionTLS(settings.sslMode)
        )
        configuration.options.connectTimeout = .seconds(5)
        self.settings = settings
        self.connectionConfiguration = configuration
        self.pool = PostgresConnectionPool(configuration: configuration, maximum: maximumConnections, logger: logger)
        // The first connection proves the server, the credentials and the database; it stays in the pool.
        do {
            try await pool.withConnection { _ in }
        } catch {
            await pool.close()
            throw Self.map(error, settings: settings)
        }
    }

    public func withConnection<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try checkOpen()
        do {
            return try await pool.withConnection { connection in
                try await body(PostgresDatabaseConnection(connection: connection, settings: settings, logger: logger))
            }
        } catch {
            throw Self.map(error, settings: settings)
        }
    }

    public func withTransaction<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection(logger: logger) { connection in
            try await connection.runTransaction(begin: "BEGIN", logger: logger, body)
        }
    }

    public func close() async {
        closed.store(true, ordering: .relaxed)
        await pool.close()
    }

    private func checkOpen() throws(DatabaseError) {
        if closed.load(ordering: .relaxed) {
            throw DatabaseError(.closed, "the connection pool to \(location) is closed")
        }
    }

    private static func connectionTLS(_ mode: DatabaseLocation.PostgresSettings.SSLMode) throws
        -> PostgresConnection.Configuration.TLS
    {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
