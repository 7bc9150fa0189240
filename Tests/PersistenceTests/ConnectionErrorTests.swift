import Foundation
import LightboxTestSupport
import Persistence
import Testing

@Suite("Connection errors say what to fix")
struct ConnectionErrorTests {
    let logger = TestDatabases.logger

    private func settings() throws -> DatabaseLocation.PostgresSettings {
        guard case .postgres(let settings) = try DatabaseLocation(url: try TestDatabases.postgresURL()) else {
            throw DatabaseError(.invalidURL, "not a PostgreSQL URL")
        }
        return settings
    }

    @Test("an unreachable PostgreSQL is reported as unreachable, with host and port")
    func unreachable() async throws {
        var settings = try settings()
        settings.port = 1
        let error = await #expect(throws: DatabaseError.self) {
            try await DatabaseOpener.open(.postgres(settings), logger: logger)
        }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("\(settings.host):1") == true)
    }

    @Test("wrong credentials are reported as such, without the password")
    func wrongPassword() async throws {
        var settings = try settings()
        settings.password = "definitely-wrong-password"
        let error = await #expect(throws: DatabaseError.self) {
            try await DatabaseOpener.open(.postgres(settings), logger: logger)
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.message.contains("definitely-wrong-password") == false)
    }

    @Test("a database that does not exist is named")
    func missingDatabase() async throws {
        var settings = try settings()
        settings.database = "no_such_database_here"
        let error = await #expect(throws: DatabaseError.self) {
            try await DatabaseOpener.open(.postgres(settings), logger: logger)
        }
        #expect(error?.code == .databaseMissing)
        #expect(error?.message.contains("no_such_database_here") == true)
    }

    @Test("a SQLite file that cannot be created is reported as not writable, and nothing is created")
    func sqliteNotWritable() async throws {
        let directory = try TestDatabases.temporaryDirectory()
        let blocker = directory.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("lightbox.sqlite").path
        let error = await #expect(throws: DatabaseError.self) {
            try await DatabaseOpener.open(.sqlite(path: path), logger: logger)
        }
        #expect(error?.code == .notWritable)
        #expect(error?.message.contains(path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["a-file"])
    }
}
