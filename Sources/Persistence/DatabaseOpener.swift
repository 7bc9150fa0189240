import Foundation
public import Logging

/// Opens the database a ``DatabaseLocation`` names.
public enum DatabaseOpener {
    /// Opens a SQLite file or connects to PostgreSQL.
    /// - Throws: ``DatabaseError`` with a message that says what to fix.
    public static func open(_ location: DatabaseLocation, logger: Logger) async throws -> any Database {
        switch location {
        case .sqlite(let path):
            return try await SQLiteDatabase(path: path)
        case .postgres(let settings):
            return try await PostgresDatabase(settings: settings, logger: logger)
        }
    }
}
