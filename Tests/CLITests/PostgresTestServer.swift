import Foundation
import Logging
import Persistence
import Testing

/// The PostgreSQL server the test command started (`LIGHTBOX_TEST_POSTGRES_URL`).
enum PostgresTestServer {
    static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["LIGHTBOX_TEST_POSTGRES_URL"], !url.isEmpty else {
            Issue.record("LIGHTBOX_TEST_POSTGRES_URL is not set: run the suite with ops/test, which starts PostgreSQL")
            throw CancellationError()
        }
        return url
    }

    /// The admin URL with another password.
    static func url(password: String) throws -> String {
        var components = try #require(URLComponents(string: try adminURL()))
        components.password = password
        return try #require(components.string)
    }

    /// A URL to a new, empty database.
    static func freshDatabaseURL() async throws -> String {
        let logger = Logger(label: "lightbox.tests")
        let admin = try await DatabaseOpener.open(try DatabaseLocation(url: try adminURL()), logger: logger)
        let name = "lbx_cli_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.execute(SQLQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        await admin.close()
        var components = try #require(URLComponents(string: try adminURL()))
        components.path = "/" + name
        return try #require(components.string)
    }
}
