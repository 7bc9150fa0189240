public import Foundation
public import Logging

/// Applies migrations at start-up: in order, idempotently, under a lock, each in its own transaction.
///
/// Two processes that start together do not race: on PostgreSQL they serialise on an advisory lock, on SQLite on
/// the database's write lock. A database that holds a migration this build does not know was written by a newer
/// Lightbox and is refused.
public struct Migrator: Sendable {
    /// The `lightbox_migrations` bookkeeping table.
    static let table = "lightbox_migrations"
    /// The advisory-lock key on PostgreSQL (ASCII "LBXMIGR1").
    static let advisoryLockKey: Int64 = 0x4c42_584d_4947_5231

    /// Every migration this build knows, in application order.
    public let migrations: [Migration]

    /// - Precondition: ids are unique and each module's versions are 1, 2, 3… in order.
    public init(migrations: [Migration]) {
        var seen: [String: Int] = [:]
        for migration in migrations {
            let expected = (seen[migration.module] ?? 0) + 1
            precondition(migration.version == expected, "migration \(migration.id) is out of order; expected version \(expected)")
            seen[migration.module] = migration.version
        }
        self.migrations = migrations
    }

    /// The state of one migration in a database.
    public struct Status: Sendable, Equatable {
        public let id: String
        public let name: String
        public let appliedAt: Date?
    }

    /// Applies every pending migration.
    /// - Returns: The ids applied now (empty when the database was up to date).
    /// - Throws: ``DatabaseError`` with code `schemaTooNew`, `migrationChanged` or `migrationFailed`.
    @discardableResult
    public func migrate(_ database: any Database, logger: Logger) async throws -> [String] {
        let migrations = self.migrations
        return try await database.withTransaction(logger: logger) { connection in
            try await Self.lock(connection)
            try await Self.createTable(connection)
            let applied = try await Self.applied(connection)
            try Self.check(applied: applied, known: migrations, dialect: connection.dialect, location: database.location)
            var done: [String] = []
            for migration in migrations where applied[migration.id] == nil {
                for statement in migration.statements(connection.dialect) {
                    do {
                        try await connection.execute(SQLQuery(unsafeSQL: statement))
                    } catch let error as DatabaseError {
                        throw DatabaseError(.migrationFailed, "migration \(migration.id) (\(migration.name)) failed: \(error.message)")
                    }
                }
                let checksum = migration.checksum(for: connection.dialect)
                try await connection.execute(
                    """
                    INSERT INTO lightbox_migrations (module, version, name, checksum, applied_at)
                    VALUES (\(migration.module), \(migration.version), \(migration.name), \(checksum), \(Date()))
                    """
                )
                logger.info("applied migration", metadata: ["migration": "\(migration.id)", "name": "\(migration.name)"])
                done.append(migration.id)
            }
            return done
        }
    }

    /// Reports, for every known migration, whether and when it was applied; checks for a newer database.
    public func status(_ database: any Database, logger: Logger) async throws -> [Status] {
        let migrations = self.migrations
        return try await database.withConnection(logger: logger) { connection in
            try await Self.createTable(connection)
            let applied = try await Self.applied(connection)
            try Self.check(applied: applied, known: migrations, dialect: connection.dialect, location: database.location)
            return migrations.map { Status(id: $0.id, name: $0.name, appliedAt: applied[$0.id]?.appliedAt) }
        }
    }

    /// Whether every known migration is applied (for readiness checks).
    public func isUpToDate(_ database: any Database, logger: Logger) async throws -> Bool {
        try await status(database, logger: logger).allSatisfy { $0.appliedAt != nil }
    }

    private struct Applied {
        let checksum: String
        let appliedAt: Date
    }

    private static func lock(_ connection: any DatabaseConnection) async throws {
        // SQLite's BEGIN IMMEDIATE already holds the write lock; PostgreSQL needs an explicit one because
        // CREATE TABLE IF NOT EXISTS alone is not safe against a concurrent creator.
        if connection.dialect == .postgres {
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))")
        }
    }

    private static func createTable(_ connection: any DatabaseConnection) async throws {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS lightbox_migrations (
                module TEXT NOT NULL,
                version BIGINT NOT NULL,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at BIGINT NOT NULL,
                PRIMARY KEY (module, version)
            )
            """
        )
    }

    private static func applied(_ connection: any DatabaseConnection) async throws -> [String: Applied] {
        var applied: [String: Applied] = [:]
        for row in try await connection.query("SELECT module, version, checksum, applied_at FROM lightbox_migrations") {
            let id = "\(try row.decode("module", as: String.self))/\(try row.decode("version", as: Int64.self))"
            applied[id] = Applied(checksum: try row.decode("checksum"), appliedAt: try row.decode("applied_at"))
        }
        return applied
    }

    private static func check(
        applied: [String: Applied], known: [Migration], dialect: SQLDialect, location: String
    ) throws(DatabaseError) {
        let knownIDs = Set(known.map(\.id))
        if let unknown = applied.keys.filter({ !knownIDs.contains($0) }).sorted().first {
            throw DatabaseError(
                .schemaTooNew,
                "the database at \(location) was written by a newer Lightbox (it has migration \(unknown), which this build does not know); upgrade Lightbox or use another database"
            )
        }
        for migration in known {
            if let record = applied[migration.id], record.checksum != migration.checksum(for: dialect) {
                throw DatabaseError(
                    .migrationChanged,
                    "migration \(migration.id) (\(migration.name)) differs from the one applied to \(location); released migrations must not change"
                )
            }
        }
    }
}
