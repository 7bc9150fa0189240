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

    let settings: DatabaseLocation.PostgresSettings
    let connectionConfiguration: PostgresConnection.Configuration
    let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let closed = Atomic<Bool>(false)

    /// Connects to the server, checking reachability and credentials first so that a mistake fails here,
    /// with one clear message, rather than on the first query.
    /// - Parameters:
    ///   - settings: Host, port, credentials and TLS policy.
    ///   - maximumConnections: The pool's size.
    ///   - logger: Where the pool logs reconnects and failures.
    /// - Throws: ``DatabaseError`` with code `unreachable`, `authenticationFailed` or `databaseMissing`.
    public init(settings: DatabaseLocation.PostgresSettings, maximumConnections: Int = 10, logger: Logger) async throws {
        let configuration = try Self.configuration(for: settings, maximumConnections: maximumConnections)
        let probe = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: try Self.connectionTLS(settings.sslMode)
        )
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw Self.map(error, settings: settings)
        }
        self.settings = settings
        self.connectionConfiguration = probe
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // The pool needs its run loop for as long as the database is open; close() ends it. Wait until the loop
        // has started so that the first lease does not race it.
        let (started, signal) = AsyncStream<Void>.makeStream()
        self.runTask = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
    }

    public func withConnection<Result: Sendable>(
        logger: Logger, _ body: (any DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try checkOpen()
        do {
            return try await client.withConnection { connection in
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
        runTask.cancel()
        await runTask.value
    }

    private func checkOpen() throws(DatabaseError) {
        if closed.load(ordering: .relaxed) {
            throw DatabaseError(.closed, "the connection pool to \(location) is closed")
        }
    }

    private static func configuration(
        for settings: DatabaseLocation.PostgresSettings, maximumConnections: Int
    ) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: try clientTLS(settings.sslMode)
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    private static func clientTLS(_ mode: DatabaseLocation.PostgresSettings.SSLMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
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
