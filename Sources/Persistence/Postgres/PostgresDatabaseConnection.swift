import Logging
import NIOCore
import PostgresNIO

/// A leased PostgreSQL connection, speaking Lightbox's portable ``SQLQuery`` and ``SQLRow``.
struct PostgresDatabaseConnection: DatabaseConnection {
    let connection: PostgresConnection
    let settings: DatabaseLocation.PostgresSettings
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await run(query).rows
    }

    @discardableResult
    func execute(_ query: SQLQuery) async throws -> Int {
        try await run(query).changes
    }

    private func run(_ query: SQLQuery) async throws -> (rows: [SQLRow], changes: Int) {
        var bindings = PostgresBindings(capacity: query.binds.count)
        for value in query.binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let v): bindings.append(v)
            case .real(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .blob(let v): bindings.append(ByteBuffer(bytes: v))
            }
        }
        let result: PostgresQueryResult
        do {
            result = try await connection.query(
                PostgresQuery(unsafeSQL: query.sql(for: .postgres), binds: bindings), logger: logger
            ).get()
        } catch {
            throw PostgresDatabase.map(error, settings: settings)
        }
        var rows: [SQLRow] = []
        rows.reserveCapacity(result.rows.count)
        var columns: SQLColumns?
        for row in result.rows {
            if columns == nil { columns = SQLColumns(row.map(\.columnName)) }
            rows.append(SQLRow(columns: columns!, values: try row.map(Self.value(of:))))
        }
        return (rows, result.metadata.rows ?? rows.count)
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return .integer(try cell.decode(Int64.self))
        case .float4, .float8:
            return .real(try cell.decode(Double.self))
        case .bool:
            return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default:
            return .text(try cell.decode(String.self))
        }
    }
}
