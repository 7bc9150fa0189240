import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Node
import Persistence
import Prometheus
import Server
import Testing

/// The HTTP routes, served for real on a loopback port.
@Suite("HTTP server")
struct ServerTests {
    let logger = Logger(label: "lightbox.tests")

    private func database(migrated: Bool) async throws -> any Database {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).sqlite").path
        let database = try await SQLiteDatabase(path: path)
        if migrated { try await Migrator(migrations: NodeMigrations.all).migrate(database, logger: logger) }
        return database
    }

    private func withServer(
        database: any Database, registry: PrometheusCollectorRegistry = .init(), marketplaceOff: String? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let dependencies = ServerDependencies(
            database: database, migrator: Migrator(migrations: NodeMigrations.all), metrics: registry, logger: logger,
            marketplaceOff: marketplaceOff
        )
        let application = Application(router: LightboxServer.router(dependencies), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in try await body(client) }
    }

    @Test("/healthz answers ok")
    func health() async throws {
        let database = try await database(migrated: true)
        try await withServer(database: database) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
        await database.close()
    }

    @Test("/readyz is 200 with the schema current, 503 with migrations pending or the database gone")
    func readiness() async throws {
        let ready = try await database(migrated: true)
        try await withServer(database: ready) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready","database":"ok","migrations":"ok"}"#)
            }
        }
        await ready.close()
        try await withServer(database: ready) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""database":"unavailable""#))
            }
        }
        let pending = try await database(migrated: false)
        try await withServer(database: pending) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"status":"not ready","database":"ok","migrations":"pending"}"#)
            }
        }
        await pending.close()
    }

    @Test("with the marketplace off, /v1/ answers 503 with the reason, never a bare 404, and /readyz is not ready")
    func marketplaceOff() async throws {
        let database = try await database(migrated: true)
        try await withServer(database: database, marketplaceOff: "the ledger could not be opened") { client in
            for (path, method) in [("/v1/listings", HTTPRequest.Method.get), ("/v1/intents", .post), ("/v1", .get)] {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    let body = String(buffer: response.body)
                    #expect(body.contains("marketplace_off") && body.contains("the ledger could not be opened"), "\(body)")
                }
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""ledger":"off","marketplace":"the ledger could not be opened""#))
            }
        }
        await database.close()
    }

    @Test("/metrics counts requests in the Prometheus text format")
    func metrics() async throws {
        let database = try await database(migrated: true)
        try await withServer(database: database) { client in
            for _ in 0..<3 { try await client.execute(uri: "/healthz", method: .get) }
            try await client.execute(uri: "/no-such-thing", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE lightbox_http_requests_total counter"))
                #expect(text.contains(#"lightbox_http_requests_total{route="/healthz",method="GET",status="2xx"} 3"#))
                #expect(text.contains(#"status="4xx"} 1"#))
                #expect(text.contains("lightbox_http_request_duration_seconds_bucket"))
            }
        }
        await database.close()
    }

    @Test("every response carries a request id: the caller's when sane, a new one otherwise")
    func requestIDs() async throws {
        let database = try await database(migrated: true)
        let header = HTTPField.Name("X-Request-Id")!
        try await withServer(database: database) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [header: "trace-42"]) { response in
                #expect(response.headers[header] == "trace-42")
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [header: "bad id\u{7f}"]) { response in
                let id = response.headers[header] ?? ""
                #expect(id.count == 36 && id != "bad id\u{7f}")
            }
            try await client.execute(uri: "/missing", method: .get, headers: [header: "trace-43"]) { response in
                #expect(response.headers[header] == "trace-43")
            }
        }
        await database.close()
    }

    @Test("errors come in the one JSON shape")
    func errorShape() async throws {
        let database = try await database(migrated: true)
        try await withServer(database: database) { client in
            try await client.execute(uri: "/missing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(String(buffer: response.body) == #"{"error":{"code":"not_found","message":"no such resource","details":{}}}"#)
            }
        }
        await database.close()
    }
}
