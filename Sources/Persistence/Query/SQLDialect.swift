/// The SQL flavour of a backend, and the few spellings that differ between them.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The placeholder for parameter number `n` (1-based).
    public func placeholder(_ n: Int) -> String {
        switch self {
        case .sqlite: "?\(n)"
        case .postgres: "$\(n)"
        }
    }

    /// A 64-bit auto-incrementing primary key column type.
    public var autoIncrementPrimaryKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }

    /// The binary column type.
    public var blobType: String {
        switch self {
        case .sqlite: "BLOB"
        case .postgres: "BYTEA"
        }
    }

    /// The floating-point column type.
    public var realType: String {
        switch self {
        case .sqlite: "REAL"
        case .postgres: "DOUBLE PRECISION"
        }
    }

    /// The clause that locks the rows a `SELECT` reads until the transaction ends: `FOR UPDATE` on PostgreSQL;
    /// nothing on SQLite, where a write transaction (`BEGIN IMMEDIATE`) already keeps every other writer out.
    public var rowLock: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }
}
