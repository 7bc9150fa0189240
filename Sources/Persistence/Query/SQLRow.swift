/// One result row: values by column name or position, shared column names across a result.
public struct SQLRow: Sendable {
    /// Column names in result order.
    public let columns: SQLColumns
    /// Values in result order.
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of a column, or `nil` when the result has no such column.
    public subscript(_ column: String) -> SQLValue? {
        columns.index(of: column).map { values[$0] }
    }

    /// Decodes a column.
    /// - Throws: ``DatabaseError`` when the column is missing or holds another type.
    public func decode<T: SQLValueDecodable>(_ column: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard let index = columns.index(of: column) else {
            throw DatabaseError(.decodingFailed, "the result has no column \"\(column)\"")
        }
        do {
            return try T(sqlValue: values[index])
        } catch {
            throw DatabaseError(.decodingFailed, "column \"\(column)\": \(error.message)")
        }
    }

    /// Decodes a column by position.
    public func decode<T: SQLValueDecodable>(at index: Int, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard values.indices.contains(index) else {
            throw DatabaseError(.decodingFailed, "the result has no column number \(index)")
        }
        return try T(sqlValue: values[index])
    }
}

/// Column names of a result, looked up by name in constant time.
public final class SQLColumns: Sendable {
    /// Names in result order.
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    /// The position of `name`, if present.
    public func index(of name: String) -> Int? { positions[name] }
}
