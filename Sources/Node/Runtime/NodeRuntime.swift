import Foundation
public import Logging
public import Persistence

/// A started node: settings, data directory, open and migrated database, and keys.
///
/// Start-up checks everything before it keeps anything: when a step fails, a data directory this start created is
/// removed again, so a mistake leaves nothing half-made behind.
public struct NodeRuntime: Sendable {
    public let settings: Settings
    public let dataDirectory: DataDirectory
    public let database: any Database
    public let identity: NodeIdentity
    public let migrator: Migrator

    /// Opens the database, applies migrations and loads (or creates) the node's keys.
    /// - Parameters:
    ///   - settings: The resolved configuration.
    ///   - migrations: Every module's migrations, in order.
    ///   - logger: Start-up log.
    /// - Throws: ``NodeError``, ``DatabaseError`` or ``SettingsError`` with a one-line message.
    public static func start(settings: Settings, migrations: [Migration], logger: Logger) async throws -> NodeRuntime {
        // Everything the node writes (the database, keys, blocks, uploads) is its user's alone, whoever made the
        // data directory and whatever umask the process was started with.
        PrivateFiles.restrictNewFiles()
        let location = settings.databaseLocation
        // PostgreSQL is checked before anything is created on disk.
        var database: (any Database)?
        if case .postgres(let postgres) = location {
            database = try await PostgresDatabase(
                settings: postgres, maximumConnections: settings.databaseMaxConnections, logger: logger
            )
        }
        let prepared: (directory: DataDirectory, created: Bool)
        do {
            prepared = try DataDirectory.prepare(settings.dataDirectory)
        } catch {
            await database?.close()
            throw error
        }
        do {
            if database == nil { database = try await DatabaseOpener.open(location, logger: logger) }
            let migrator = Migrator(migrations: migrations)
            let applied = try await migrator.migrate(database!, logger: logger)
            let (identity, createdKeys) = try NodeIdentity.loadOrCreate(in: prepared.directory)
            logger.info(
                "node started",
                metadata: [
                    "data.dir": "\(prepared.directory.path)", "database": "\(database!.location)",
                    "migrations.applied": "\(applied.count)", "keys.created": "\(createdKeys.count)",
                ]
            )
            return NodeRuntime(
                settings: settings, dataDirectory: prepared.directory, database: database!, identity: identity,
                migrator: migrator
            )
        } catch {
            await database?.close()
            if prepared.created { try? FileManager.default.removeItem(atPath: prepared.directory.path) }
            throw error
        }
    }

    /// Closes the database.
    public func stop() async {
        await database.close()
    }
}
