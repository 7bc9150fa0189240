/// An error from the database layer, the same on SQLite and PostgreSQL.
///
/// `code` is stable and safe as a metric label; `message` says what happened and what to do.
public struct DatabaseError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case unreachable, authenticationFailed, databaseMissing, notWritable, invalidURL
            case uniqueViolation, constraintViolation, queryFailed, decodingFailed, typeMismatch
            case busy, connectionLost, schemaTooNew, migrationChanged, migrationFailed, closed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The server cannot be reached (refused, no route, time-out).
        public static var unreachable: Self { .init(.unreachable) }
        /// The server refused the credentials.
        public static var authenticationFailed: Self { .init(.authenticationFailed) }
        /// The named database does not exist on the server.
        public static var databaseMissing: Self { .init(.databaseMissing) }
        /// The SQLite file or its directory cannot be created or written.
        public static var notWritable: Self { .init(.notWritable) }
        /// The database URL cannot be parsed.
        public static var invalidURL: Self { .init(.invalidURL) }
        /// A unique or primary-key constraint refused a row.
        public static var uniqueViolation: Self { .init(.uniqueViolation) }
        /// Another constraint (foreign key, not-null, check) refused a row.
        public static var constraintViolation: Self { .init(.constraintViolation) }
        /// The statement failed for another reason.
        public static var queryFailed: Self { .init(.queryFailed) }
        /// A result column could not be read as the asked type.
        public static var decodingFailed: Self { .init(.decodingFailed) }
        /// A value had another SQL type than expected.
        public static var typeMismatch: Self { .init(.typeMismatch) }
        /// The database stayed locked by another writer for longer than the busy time-out.
        public static var busy: Self { .init(.busy) }
        /// The connection dropped while the statement ran; it may be retried.
        public static var connectionLost: Self { .init(.connectionLost) }
        /// The database was written by a newer Lightbox.
        public static var schemaTooNew: Self { .init(.schemaTooNew) }
        /// A migration already applied differs from the one this build carries.
        public static var migrationChanged: Self { .init(.migrationChanged) }
        /// A migration statement failed.
        public static var migrationFailed: Self { .init(.migrationFailed) }
        /// The database was closed.
        public static var closed: Self { .init(.closed) }

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened and what to do, in one line.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    static func typeMismatch(expected: String, got: SQLValue) -> Self {
        .init(.typeMismatch, "expected \(expected), found \(got.typeName)")
    }
}

extension SQLValue {
    var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}
