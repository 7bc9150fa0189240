import Foundation
import LightboxTestSupport
import Testing

/// The PostgreSQL server the test command started (`LIGHTBOX_TEST_POSTGRES_URL`).
enum PostgresTestServer {
    /// The admin URL with another password.
    static func url(password: String) throws -> String {
        var components = try #require(URLComponents(string: try TestDatabases.postgresURL()))
        components.password = password
        return try #require(components.string)
    }

    /// A URL to a new, empty database.
    static func freshDatabaseURL() async throws -> String {
        try await TestDatabases.freshPostgresURL()
    }
}
