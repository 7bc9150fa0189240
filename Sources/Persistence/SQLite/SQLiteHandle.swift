internal import CSQLite
import Foundation

/// Owns one `sqlite3*` connection and its prepared-statement cache.
///
/// Synchronous and not thread-safe on its own: ``SQLiteDatabase`` leases it to one caller at a time and runs
/// every call on its dedicated thread.
final class SQLiteHandle {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    /// Opens (creating if needed) the database file, in WAL mode with foreign keys on.
    init(path: String, busyTimeoutMilliseconds: Int32) throws(DatabaseError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let detail = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw DatabaseError(
                .notWritable, "cannot open the SQLite database \(path): \(detail); check that the directory exists and is writable"
            )
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do {
            // journal_mode=WAL writes the file, so it doubles as the check that the file can be written.
            _ = try run("PRAGMA journal_mode = WAL", binds: [])
            _ = try run("PRAGMA synchronous = NORMAL", binds: [])
            _ = try run("PRAGMA foreign_keys = ON", binds: [])
            _ = try run("BEGIN IMMEDIATE", binds: [])
            _ = try run("COMMIT", binds: [])
        } catch {
            close()
            if error.code == .busy { throw error }
            throw DatabaseError(
                .notWritable, "cannot write the SQLite database \(path): \(error.message); check the directory's permissions and free space"
            )
        }
    }

    deinit { close() }

    /// Finalises every statement and closes the connection.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    /// Runs one statement with its parameters; returns its rows and the number of rows it changed.
    func run(_ sql: String, binds: [SQLValue]) throws(DatabaseError) -> (rows: [SQLRow], changes: Int) {
        guard let db else { throw DatabaseError(.closed, "the SQLite database \(path) is closed") }
        let statement = try prepare(sql, db: db)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            let status = bind(value, at: Int32(offset + 1), in: statement)
            guard status == SQLITE_OK else { throw error(status, db: db, sql: sql) }
        }
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status, db: db, sql: sql) }
            let count = sqlite3_column_count(statement)
            if columns == nil {
                columns = SQLColumns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
            }
            rows.append(SQLRow(columns: columns!, values: (0..<count).map { column(at: $0, in: statement) }))
        }
        let changes = sqlite3_stmt_readonly(statement) != 0 ? 0 : Int(sqlite3_changes(db))
        return (rows, changes)
    }

    private func prepare(_ sql: String, db: OpaquePointer) throws(DatabaseError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, db: db, sql: sql) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let v): sqlite3_bind_int64(statement, index, v)
        case .real(let v): sqlite3_bind_double(statement, index, v)
        case .text(let v): sqlite3_bind_text(statement, index, v, -1, csqlite_transient())
        case .blob(let v):
            v.withUnsafeBytes { sqlite3_bind_blob64(statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64($0.count), csqlite_transient()) }
        }
    }

    private func column(at index: Int32, in statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func error(_ status: Int32, db: OpaquePointer, sql: String) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db))
        switch status {
        case 2067, 1555:  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY (macros Swift cannot import)
            return DatabaseError(.uniqueViolation, message)
        case _ where status & 0xff == SQLITE_CONSTRAINT:
            return DatabaseError(.constraintViolation, message)
        case _ where status & 0xff == SQLITE_BUSY || status & 0xff == SQLITE_LOCKED:
            return DatabaseError(
                .busy, "the SQLite database \(path) stayed locked by another process: \(message)"
            )
        case _ where status & 0xff == SQLITE_FULL || status & 0xff == SQLITE_IOERR || status & 0xff == SQLITE_READONLY:
            return DatabaseError(.notWritable, "cannot write the SQLite database \(path): \(message)")
        default:
            return DatabaseError(.queryFailed, "\(message) (in: \(sql.prefix(200)))")
        }
    }
}
