import Foundation
import LightboxTestSupport
import Persistence
import Testing

@Suite("Database, on SQLite and PostgreSQL")
struct DatabaseTests {
    let logger = TestDatabases.logger

    @Test("round-trips every value type through bound parameters", arguments: Backend.allCases)
    func valueTypes(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let blob = database.dialect.blobType
            let real = database.dialect.realType
            try await database.execute(
                SQLQuery(unsafeSQL: "CREATE TABLE t (i BIGINT, r \(real), s TEXT, b \(blob), n TEXT, d BIGINT, f BIGINT)"),
                logger: logger
            )
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let text = "it's \"quoted\"; DROP TABLE t; -- ünïcødé"
            let bytes: [UInt8] = [0, 1, 2, 255, 0]
            let changed = try await database.execute(
                "INSERT INTO t VALUES (\(Int64.max), \(2.5), \(text), \(bytes), \(SQLValue.null), \(date), \(true))",
                logger: logger
            )
            #expect(changed == 1)
            let rows = try await database.query("SELECT * FROM t WHERE s = \(text) AND i = \(Int64.max)", logger: logger)
            let row = try #require(rows.first)
            #expect(try row.decode("i", as: Int64.self) == Int64.max)
            #expect(try row.decode("r", as: Double.self) == 2.5)
            #expect(try row.decode("s", as: String.self) == text)
            #expect(try row.decode("b", as: [UInt8].self) == bytes)
            #expect(try row.decode("n", as: String?.self) == nil)
            #expect(try row.decode("d", as: Date.self) == date)
            #expect(try row.decode("f", as: Bool.self) == true)
            #expect(throws: DatabaseError.self) { try row.decode("s", as: Int64.self) }
            #expect(throws: DatabaseError.self) { try row.decode("missing", as: Int64.self) }
        }
    }

    @Test("binds lists and embedded queries with renumbered parameters", arguments: Backend.allCases)
    func listsAndEmbedding(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await database.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)", logger: logger)
            for id in 1...5 { try await database.execute("INSERT INTO t VALUES (\(id), \("n\(id)"))", logger: logger) }
            let filter: SQLQuery = "name <> \("n3")"
            let rows = try await database.query(
                "SELECT id FROM t WHERE id IN (\(list: [1, 3, 4])) AND \(filter) ORDER BY id", logger: logger
            )
            #expect(try rows.map { try $0.decode("id", as: Int.self) } == [1, 4])
            let changed = try await database.execute("UPDATE t SET name = \("x") WHERE id > \(2)", logger: logger)
            #expect(changed == 3)
        }
    }

    @Test("a transaction commits when its body returns and rolls back when it throws", arguments: Backend.allCases)
    func transactions(backend: Backend) async throws {
        struct Planned: Error {}
        try await TestDatabases.with(backend) { database, _ in
            try await database.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)", logger: logger)
            try await database.withTransaction(logger: logger) { try await $0.execute("INSERT INTO t VALUES (\(1))") }
            await #expect(throws: Planned.self) {
                try await database.withTransaction(logger: logger) { connection in
                    try await connection.execute("INSERT INTO t VALUES (\(2))")
                    throw Planned()
                }
            }
            let ids = try await database.query("SELECT id FROM t", logger: logger).map { try $0.decode("id", as: Int.self) }
            #expect(ids == [1])
        }
    }

    @Test("a duplicate key is reported as a unique violation", arguments: Backend.allCases)
    func uniqueViolation(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await database.execute("CREATE TABLE t (k TEXT PRIMARY KEY)", logger: logger)
            try await database.execute("INSERT INTO t VALUES (\("a"))", logger: logger)
            let error = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO t VALUES (\("a"))", logger: logger)
            }
            #expect(error?.code == .uniqueViolation)
            let syntax = await #expect(throws: DatabaseError.self) {
                try await database.execute("SELEC nonsense", logger: logger)
            }
            #expect(syntax?.code == .queryFailed)
        }
    }

    @Test("data survives closing and reopening", arguments: Backend.allCases)
    func durability(backend: Backend) async throws {
        let location = try await TestDatabases.freshLocation(backend)
        let first = try await DatabaseOpener.open(location, logger: logger)
        try await first.execute("CREATE TABLE t (v TEXT)", logger: logger)
        try await first.execute("INSERT INTO t VALUES (\("kept"))", logger: logger)
        await first.close()
        let second = try await DatabaseOpener.open(location, logger: logger)
        let rows = try await second.query("SELECT v FROM t", logger: logger)
        #expect(try rows.map { try $0.decode("v", as: String.self) } == ["kept"])
        await second.close()
        await #expect(throws: DatabaseError.self) { try await second.query("SELECT 1", logger: logger) }
    }

    @Test("many concurrent callers each see their own transaction", arguments: Backend.allCases)
    func concurrentTransactions(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await database.execute("CREATE TABLE counter (n BIGINT)", logger: logger)
            try await database.execute("INSERT INTO counter VALUES (0)", logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await database.withTransaction(logger: logger) { connection in
                            // FOR UPDATE serialises on PostgreSQL; SQLite's write lock already does.
                            let lock = connection.dialect == .postgres ? " FOR UPDATE" : ""
                            let n = try await connection.query(SQLQuery(unsafeSQL: "SELECT n FROM counter\(lock)"))[0]
                                .decode("n", as: Int.self)
                            try await connection.execute("UPDATE counter SET n = \(n + 1)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let n = try await database.query("SELECT n FROM counter", logger: logger)[0].decode("n", as: Int.self)
            #expect(n == 20)
        }
    }

    @Test("asking for a second SQLite connection inside a lease fails instead of deadlocking")
    func sqliteReentrancy() async throws {
        try await TestDatabases.with(.sqlite) { database, _ in
            let error = await #expect(throws: DatabaseError.self) {
                try await database.withTransaction(logger: logger) { _ in
                    try await database.query("SELECT 1", logger: logger)
                }
            }
            #expect(error?.message.contains("pass the connection down") == true)
        }
    }
}
