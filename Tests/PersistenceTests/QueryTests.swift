import Persistence
import Testing

@Suite("SQL queries and locations")
struct QueryTests {
    @Test("interpolated values become numbered placeholders per dialect")
    func rendering() {
        let name = "x'; DROP TABLE t; --"
        let inner: SQLQuery = "b = \(2)"
        let query: SQLQuery = "SELECT * FROM \(unsafeRaw: "t") WHERE a = \(name) AND \(inner) AND c IN (\(list: [3, 4]))"
        #expect(query.sql(for: .postgres) == "SELECT * FROM t WHERE a = $1 AND b = $2 AND c IN ($3, $4)")
        #expect(query.sql(for: .sqlite) == "SELECT * FROM t WHERE a = ?1 AND b = ?2 AND c IN (?3, ?4)")
        #expect(query.binds == [.text(name), .integer(2), .integer(3), .integer(4)])
        let joined = SQLQuery.joined(["a = \(1)", "b = \(2)"], separator: " AND ")
        #expect(joined.sql(for: .postgres) == "a = $1 AND b = $2")
        #expect(joined.binds == [.integer(1), .integer(2)])
    }

    @Test("database URLs parse, and their passwords never print")
    func locations() throws {
        let pg = try DatabaseLocation(url: "postgres://lb:s3cr%40t@db.internal:6543/market?sslmode=require")
        guard case .postgres(let settings) = pg else { Issue.record("not postgres"); return }
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "lb")
        #expect(settings.password == "s3cr@t")
        #expect(settings.database == "market")
        #expect(settings.sslMode == .require)
        #expect(!pg.description.contains("s3cr"))
        #expect(pg.description == "postgres://lb:***@db.internal:6543/market?sslmode=require")
        #expect(try DatabaseLocation(url: "sqlite:///var/lib/lb.sqlite") == .sqlite(path: "/var/lib/lb.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:data/lb.sqlite") == .sqlite(path: "data/lb.sqlite"))
        #expect(DatabaseLocation.redact("postgres://u:pw@h/d") == "postgres://u:***@h/d")
    }

    @Test("bad database URLs are refused with the accepted forms", arguments: [
        "mysql://u@h/d", "postgres://h/d", "postgres://u@/d", "postgres://u@h/d?sslmode=maybe", "postgres://u@h/d?x=1",
        "sqlite:",
    ])
    func badLocations(url: String) {
        let error = #expect(throws: DatabaseError.self) { try DatabaseLocation(url: url) }
        #expect(error?.code == .invalidURL)
    }
}
