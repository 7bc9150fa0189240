import ArgumentParser
import Foundation
import Logging
import Persistence

/// A throwaway database for a benchmark: a temporary SQLite file, or a new database on a PostgreSQL server
/// (created from the given URL's connection and dropped afterwards), so a benchmark never touches real data.
struct BenchDatabase {
    let location: DatabaseLocation
    private let server: DatabaseLocation.PostgresSettings?
    private let directory: URL?
    private let logger = Logger(label: "lightbox.bench")

    init(backend: String, url: String?) throws {
        switch backend {
        case "sqlite":
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            self.directory = directory
            self.server = nil
            self.location = .sqlite(path: directory.appendingPathComponent("bench.sqlite").path)
        case "postgres":
            guard let url else { throw ValidationError("--backend postgres needs --database URL") }
            guard case .postgres(let server) = try DatabaseLocation(url: url) else {
                throw ValidationError("--database must be a postgres:// URL")
            }
            var scratch = server
            scratch.database = "lightbox_bench_\(UUID().uuidString.prefix(8).lowercased())"
            self.directory = nil
            self.server = server
            self.location = .postgres(scratch)
        default:
            throw ValidationError("--backend must be sqlite or postgres")
        }
    }

    /// Creates the scratch database and opens it.
    func open() async throws -> any Database {
        if let server, case .postgres(let scratch) = location {
            let admin = try await DatabaseOpener.open(.postgres(server), logger: logger)
            try await admin.execute(SQLQuery(unsafeSQL: "CREATE DATABASE \(scratch.database)"), logger: logger)
            await admin.close()
        }
        return try await DatabaseOpener.open(location, logger: logger)
    }

    /// Removes the scratch database.
    func drop() async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let server, case .postgres(let scratch) = location,
            let admin = try? await DatabaseOpener.open(.postgres(server), logger: logger)
        {
            _ = try? await admin.execute(SQLQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(scratch.database)"), logger: logger)
            await admin.close()
        }
    }
}

extension BenchDatabase {
    /// The scratch database's URL, for the processes a benchmark starts.
    func url() throws -> String {
        guard case .postgres(let settings) = location else { throw CommandError("only a PostgreSQL scratch database has a URL") }
        return settings.url
    }
}
