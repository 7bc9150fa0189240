import Logging
import NIOCore
import PostgresNIO
import Synchronization

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
            result = try await answer(to: PostgresQuery(unsafeSQL: query.sql(for: .postgres), binds: bindings))
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

    /// The statement's result, or a `connectionLost` error after ``PostgresDatabase/statementTimeout``.
    ///
    /// A statement sent just as the server goes away can be left without any answer, its future never completed
    /// even once the connection is closed. So the wait ends on whichever comes first, and on a time-out the
    /// connection is closed so the pool drops it.
    private func answer(to query: PostgresQuery) async throws -> PostgresQueryResult {
        let connection = self.connection
        let logger = self.logger
        let once = ResumeOnce()
        return try await withCheckedThrowingContinuation { continuation in
            let timeout = connection.eventLoop.scheduleTask(in: .seconds(Int64(PostgresDatabase.statementTimeout.components.seconds))) {
                guard once.claim() else { return }
                logger.warning("a PostgreSQL statement got no answer in time; closing its connection")
                let close: () -> Void = connection.close
                close()
                continuation.resume(
                    throwing: DatabaseError(.connectionLost, "PostgreSQL did not answer within \(PostgresDatabase.statementTimeout); the statement may be retried")
                )
            }
            connection.query(query, logger: logger).whenComplete { result in
                timeout.cancel()
                guard once.claim() else { return }
                continuation.resume(with: result)
            }
        }
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

/// Lets exactly one of several racing callbacks through.
private final class ResumeOnce: Sendable {
    private let done = Atomic<Bool>(false)

    /// True for the first caller only.
    func claim() -> Bool {
        done.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
