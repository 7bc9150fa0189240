/// A SQL statement whose interpolated values become bound parameters, never spliced text.
///
/// ```swift
/// let rows = try await connection.query("SELECT name FROM accounts WHERE id = \(id)")
/// ```
/// The same query renders as `$1` placeholders on PostgreSQL and `?1` on SQLite.
/// Identifiers that cannot be parameters are inserted with `\(unsafeRaw: name)`.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case text(String)
        case bind(Int)
    }

    private(set) var segments: [Segment]
    /// The bound values, in placeholder order.
    public private(set) var binds: [SQLValue]

    /// A statement with no parameters, or with explicit ones referenced by `$1`… placeholders already in `sql`.
    public init(unsafeSQL sql: String) {
        self.segments = [.text(sql)]
        self.binds = []
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.segments = stringInterpolation.segments
        self.binds = stringInterpolation.binds
    }

    /// Renders the statement text for a dialect.
    public func sql(for dialect: SQLDialect) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .bind(let index): out += dialect.placeholder(index + 1)
            }
        }
        return out
    }

    public var description: String { sql(for: .postgres) }

    /// Builds a query by interpolation.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var segments: [Segment] = []
        var binds: [SQLValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            segments.append(.text(literal))
        }

        /// Binds a value as a parameter.
        public mutating func appendInterpolation(_ value: some SQLValueEncodable) {
            segments.append(.bind(binds.count))
            binds.append(value.sqlValue)
        }

        /// Binds an optional value: `NULL` when it is `nil`.
        public mutating func appendInterpolation<Value: SQLValueEncodable>(_ value: Value?) {
            appendInterpolation(value.sqlValue)
        }

        /// Binds each value as its own parameter, separated by commas (for `IN (…)` and multi-row `VALUES`).
        public mutating func appendInterpolation(list values: [some SQLValueEncodable]) {
            for (offset, value) in values.enumerated() {
                if offset > 0 { segments.append(.text(", ")) }
                appendInterpolation(value)
            }
        }

        /// Embeds another query, renumbering its parameters.
        public mutating func appendInterpolation(_ query: SQLQuery) {
            let offset = binds.count
            for segment in query.segments {
                switch segment {
                case .text(let text): segments.append(.text(text))
                case .bind(let index): segments.append(.bind(index + offset))
                }
            }
            binds.append(contentsOf: query.binds)
        }

        /// Inserts text verbatim. Only for trusted identifiers and keywords, never for user input.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            segments.append(.text(text))
        }
    }
}

extension SQLQuery {
    /// Joins queries with a separator, keeping every bound parameter.
    public static func joined(_ parts: [SQLQuery], separator: String) -> SQLQuery {
        var result = SQLQuery(unsafeSQL: "")
        for (index, part) in parts.enumerated() {
            if index > 0 { result.segments.append(.text(separator)) }
            let offset = result.binds.count
            result.segments += part.segments.map {
                if case .bind(let i) = $0 { .bind(i + offset) } else { $0 }
            }
            result.binds += part.binds
        }
        return result
    }
}
