public import Foundation
public import Logging
public import Persistence
public import Testing

/// The two backends every persistence test runs against.
public enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    public var testDescription: String { rawValue }
}

/// Fresh, isolated databases for tests: a SQLite file in a new temporary directory, or a new PostgreSQL database
/// on the server that the test command started (its URL in `LIGHTBOX_TEST_POSTGRES_URL`).
public enum TestDatabases {
    public static let logger = Logger(label: "lightbox.tests")

    /// The PostgreSQL server's admin URL; a test that needs it fails with instructions when it is missing.
    public static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["LIGHTBOX_TEST_POSTGRES_URL"], !url.isEmpty else {
            Issue.record("LIGHTBOX_TEST_POSTGRES_URL is not set: run the suite with ops/test, which starts PostgreSQL")
            throw CancellationError()
        }
        return url
    }

    /// A new empty temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A location for a fresh database of `backend`; for PostgreSQL the database is created first.
    public static func freshLocation(_ backend: Backend) async throws -> DatabaseLocation {
        switch backend {
        case .sqlite:
            return .sqlite(path: try temporaryDirectory().appendingPathComponent("lightbox.sqlite").path)
        case .postgres:
            guard case .postgres(var settings) = try DatabaseLocation(url: try postgresURL()) else {
                throw DatabaseError(.invalidURL, "LIGHTBOX_TEST_POSTGRES_URL is not a PostgreSQL URL")
            }
            let name = "lbx_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            let admin = try await DatabaseOpener.open(.postgres(settings), logger: logger)
            try await admin.execute(SQLQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            await admin.close()
            settings.database = name
            return .postgres(settings)
        }
    }

    /// A URL (password included) to a new, empty PostgreSQL database, for processes started by a test.
    public static func freshPostgresURL() async throws -> String {
        guard case .postgres(let settings) = try await freshLocation(.postgres) else { throw CancellationError() }
        return settings.url
    }

    /// Runs `body` with a fresh database of `backend` and closes it afterwards.
    public static func with<T: Sendable>(_ backend: Backend, _ body: (any Database, DatabaseLocation) async throws -> T)
        async throws -> T
    {
        let location = try await freshLocation(backend)
        let database = try await DatabaseOpener.open(location, logger: logger)
        do {
            let result = try await body(database, location)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
