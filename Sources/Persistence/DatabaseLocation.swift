import Foundation

/// Which database to open: a SQLite file, or a PostgreSQL server given by URL.
///
/// Accepted forms: `sqlite:///absolute/path.sqlite`, `sqlite:relative/path.sqlite`,
/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require` (also `postgresql://`).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    /// Connection settings parsed from a PostgreSQL URL.
    public struct PostgresSettings: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// `disable`, `prefer` (the default, as libpq's) or `require`.
        public var sslMode: SSLMode

        /// The TLS policy towards the server.
        public enum SSLMode: String, Sendable, Equatable, CaseIterable {
            case disable, prefer, require
        }
    }

    /// Parses a database URL.
    /// - Throws: ``DatabaseError`` with code `invalidURL` and a message naming the accepted forms.
    public init(url: String) throws(DatabaseError) {
        let help = "use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw DatabaseError(.invalidURL, "the SQLite URL has no file path: \(help)") }
            self = .sqlite(path: path)
            return
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
            let components = URLComponents(string: url)
        else {
            throw DatabaseError(.invalidURL, "unsupported database URL \"\(Self.redact(url))\": \(help)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw DatabaseError(.invalidURL, "the PostgreSQL URL has no host: \(help)")
        }
        guard let username = components.user, !username.isEmpty else {
            throw DatabaseError(.invalidURL, "the PostgreSQL URL has no user name: \(help)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        var sslMode = PostgresSettings.SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(PostgresSettings.SSLMode.init(rawValue:)) else {
                    throw DatabaseError(
                        .invalidURL, "sslmode must be disable, prefer or require, not \"\(item.value ?? "")\""
                    )
                }
                sslMode = mode
            default:
                throw DatabaseError(.invalidURL, "unknown PostgreSQL URL parameter \"\(item.name)\" (known: sslmode)")
            }
        }
        self = .postgres(
            PostgresSettings(
                host: host, port: components.port ?? 5432, username: username,
                password: components.password?.removingPercentEncoding,
                database: database.isEmpty ? username : database, sslMode: sslMode
            )
        )
    }

    /// The location with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let s):
            "postgres://\(s.username)\(s.password == nil ? "" : ":***")@\(s.host):\(s.port)/\(s.database)"
                + (s.sslMode == .prefer ? "" : "?sslmode=\(s.sslMode.rawValue)")
        }
    }

    /// Replaces the password in any URL-like string with `***`.
    public static func redact(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.password != nil else { return url }
        var copy = components
        copy.password = "***"
        return copy.string?.removingPercentEncoding ?? "<redacted>"
    }
}

extension DatabaseLocation.PostgresSettings {
    /// The settings as a `postgres://` URL that ``DatabaseLocation/init(url:)`` reads back (password included: not
    /// for logs).
    public var url: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
        return components.string ?? "postgres://\(host):\(port)/\(database)"
    }
}
