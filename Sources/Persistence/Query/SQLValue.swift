public import Foundation

/// A value bound into, or read out of, a SQL statement on either backend.
///
/// Lightbox keeps its schema portable: integers are 64-bit, booleans are integers 0/1, times are integer
/// microseconds since the Unix epoch (UTC), and binary data is a blob (`BLOB` on SQLite, `BYTEA` on PostgreSQL).
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): "'\(value)'"
        case .blob(let value): "<\(value.count) bytes>"
        }
    }
}

/// A Swift value that can be bound as a SQL parameter.
public protocol SQLValueEncodable: Sendable {
    /// The value as bound to a statement.
    var sqlValue: SQLValue { get }
}

/// A Swift value that can be read from a SQL result column.
public protocol SQLValueDecodable {
    /// Reads the value; throws when the column holds another type.
    init(sqlValue: SQLValue) throws(DatabaseError)
}

/// Both directions.
public typealias SQLValueCodable = SQLValueDecodable & SQLValueEncodable

extension SQLValue: SQLValueCodable {
    public var sqlValue: SQLValue { self }
    public init(sqlValue: SQLValue) { self = sqlValue }
}

extension Int64: SQLValueCodable {
    public var sqlValue: SQLValue { .integer(self) }
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        guard case .integer(let value) = sqlValue else { throw .typeMismatch(expected: "integer", got: sqlValue) }
        self = value
    }
}

extension Int: SQLValueCodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init(sqlValue: SQLValue) throws(DatabaseError) { self = Int(try Int64(sqlValue: sqlValue)) }
}

extension Bool: SQLValueCodable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init(sqlValue: SQLValue) throws(DatabaseError) { self = try Int64(sqlValue: sqlValue) != 0 }
}

extension Double: SQLValueCodable {
    public var sqlValue: SQLValue { .real(self) }
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw .typeMismatch(expected: "real", got: sqlValue)
        }
    }
}

extension String: SQLValueCodable {
    public var sqlValue: SQLValue { .text(self) }
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        guard case .text(let value) = sqlValue else { throw .typeMismatch(expected: "text", got: sqlValue) }
        self = value
    }
}

extension [UInt8]: SQLValueCodable {
    public var sqlValue: SQLValue { .blob(self) }
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        guard case .blob(let value) = sqlValue else { throw .typeMismatch(expected: "blob", got: sqlValue) }
        self = value
    }
}

/// Dates are stored as integer microseconds since the Unix epoch.
extension Date: SQLValueCodable {
    public var sqlValue: SQLValue { .integer(Int64((timeIntervalSince1970 * 1_000_000).rounded())) }
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        self = Date(timeIntervalSince1970: Double(try Int64(sqlValue: sqlValue)) / 1_000_000)
    }
}

extension Optional: SQLValueEncodable where Wrapped: SQLValueEncodable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLValueDecodable where Wrapped: SQLValueDecodable {
    public init(sqlValue: SQLValue) throws(DatabaseError) {
        self = sqlValue == .null ? nil : try Wrapped(sqlValue: sqlValue)
    }
}
