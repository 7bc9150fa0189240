import Foundation
import LightboxTestSupport
import Persistence
import Testing

@Suite("Migrations, on SQLite and PostgreSQL")
struct MigratorTests {
    let logger = TestDatabases.logger

    static let widgets = [
        Migration(module: "widgets", version: 1, name: "create widgets") { _ in
            ["CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"]
        },
        Migration(module: "widgets", version: 2, name: "add colour") { _ in
            ["ALTER TABLE widgets ADD COLUMN colour TEXT", "CREATE INDEX widgets_colour ON widgets (colour)"]
        },
    ]

    @Test("applies pending migrations once, in order, and reports their status", arguments: Backend.allCases)
    func idempotent(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let firstOnly = Migrator(migrations: [Self.widgets[0]])
            #expect(try await firstOnly.migrate(database, logger: logger) == ["widgets/1"])
            let both = Migrator(migrations: Self.widgets)
            #expect(try await both.isUpToDate(database, logger: logger) == false)
            #expect(try await both.migrate(database, logger: logger) == ["widgets/2"])
            #expect(try await both.migrate(database, logger: logger) == [])
            #expect(try await both.isUpToDate(database, logger: logger))
            let status = try await both.status(database, logger: logger)
            #expect(status.map(\.id) == ["widgets/1", "widgets/2"])
            #expect(status.allSatisfy { $0.appliedAt != nil })
            try await database.execute("INSERT INTO widgets (id, name, colour) VALUES (1, 'a', 'red')", logger: logger)
        }
    }

    @Test("refuses a database written by a newer Lightbox", arguments: Backend.allCases)
    func newerDatabase(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await Migrator(migrations: Self.widgets).migrate(database, logger: logger)
            let older = Migrator(migrations: [Self.widgets[0]])
            let error = await #expect(throws: DatabaseError.self) { try await older.migrate(database, logger: logger) }
            #expect(error?.code == .schemaTooNew)
            #expect(error?.message.contains("newer Lightbox") == true)
            #expect(error?.message.contains("widgets/2") == true)
        }
    }

    @Test("refuses a migration whose statements changed after it was applied", arguments: Backend.allCases)
    func changedMigration(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await Migrator(migrations: [Self.widgets[0]]).migrate(database, logger: logger)
            let edited = Migration(module: "widgets", version: 1, name: "create widgets") { _ in
                ["CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT)"]
            }
            let error = await #expect(throws: DatabaseError.self) {
                try await Migrator(migrations: [edited]).migrate(database, logger: logger)
            }
            #expect(error?.code == .migrationChanged)
        }
    }

    @Test("a failing migration leaves nothing behind", arguments: Backend.allCases)
    func failingMigration(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let broken = Migration(module: "widgets", version: 2, name: "broken") { _ in
                ["CREATE TABLE gadgets (id BIGINT)", "THIS IS NOT SQL"]
            }
            let error = await #expect(throws: DatabaseError.self) {
                try await Migrator(migrations: [Self.widgets[0], broken]).migrate(database, logger: logger)
            }
            #expect(error?.code == .migrationFailed)
            #expect(error?.message.contains("widgets/2") == true)
            // All pending migrations run in one transaction: widgets/1 was rolled back too.
            let status = try await Migrator(migrations: [Self.widgets[0]]).status(database, logger: logger)
            #expect(status.first?.appliedAt == nil)
            await #expect(throws: DatabaseError.self) { try await database.query("SELECT * FROM gadgets", logger: logger) }
            await #expect(throws: DatabaseError.self) { try await database.query("SELECT * FROM widgets", logger: logger) }
        }
    }

    @Test("two processes migrating the same database at once apply each migration once", arguments: Backend.allCases)
    func concurrentMigrators(backend: Backend) async throws {
        let location = try await TestDatabases.freshLocation(backend)
        let databases = [
            try await DatabaseOpener.open(location, logger: logger),
            try await DatabaseOpener.open(location, logger: logger),
            try await DatabaseOpener.open(location, logger: logger),
        ]
        let migrator = Migrator(migrations: Self.widgets)
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for database in databases { group.addTask { try await migrator.migrate(database, logger: logger) } }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(applied.sorted() == ["widgets/1", "widgets/2"])
        let count = try await databases[0].query("SELECT COUNT(*) AS n FROM lightbox_migrations", logger: logger)[0]
        #expect(try count.decode("n", as: Int.self) == 2)
        for database in databases { await database.close() }
    }
}
