import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Logging
import Node
import Persistence
import Prometheus
import Server
import Testing

@Suite("Admin job API")
struct AdminJobRoutesTests {
    let logger = Logger(label: "lightbox.tests")
    static let token = "test-admin-token-0123456789"

    private func withServer(
        token: String? = AdminJobRoutesTests.token,
        _ body: @escaping @Sendable (any TestClientProtocol, JobQueue) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).sqlite").path
        let database = try await SQLiteDatabase(path: path)
        let migrator = Migrator(migrations: NodeMigrations.all + JobQueueMigrations.all)
        try await migrator.migrate(database, logger: logger)
        let dependencies = ServerDependencies(database: database, migrator: migrator, metrics: .init(), logger: logger, adminToken: token)
        let application = Application(router: LightboxServer.router(dependencies), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in try await body(client, dependencies.jobs) }
        await database.close()
    }

    private var auth: HTTPFields { [.authorization: "Bearer \(Self.token)"] }

    @Test("without the token the admin API refuses; with none configured it is off")
    func authorisation() async throws {
        try await withServer { client, _ in
            try await client.execute(uri: "/admin/jobs", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(String(buffer: response.body).contains(#""code":"unauthorized""#))
            }
            try await client.execute(uri: "/admin/jobs", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
        try await withServer(token: nil) { client, _ in
            try await client.execute(uri: "/admin/jobs", method: .get, headers: auth) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("set admin.token"))
            }
        }
    }

    @Test("list with a cursor, show, stats, cancel and retry")
    func operations() async throws {
        try await withServer { client, queue in
            let ids = try await queue.enqueueBatch(NoopJob.self, Array(repeating: (NoopJob.Payload(sleepMilliseconds: 1), JobOptions()), count: 5)).map(\.id)
            let firstPage = try await client.execute(uri: "/admin/jobs?limit=3", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                return try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
            }
            let jobs = try #require(firstPage["jobs"] as? [[String: Any]])
            #expect(jobs.compactMap { $0["id"] as? Int64 ?? ($0["id"] as? Int).map(Int64.init) } == Array(ids.reversed().prefix(3)))
            #expect(jobs.first?["payload"] as? String == #"{"sleepMilliseconds":1}"#)
            let next = try #require(firstPage["next"] as? String)
            try await client.execute(uri: "/admin/jobs?limit=3&before=\(next)", method: .get, headers: auth) { response in
                let body = String(buffer: response.body)
                #expect(body.contains(#""id":\#(ids[1])"#) && body.contains(#""id":\#(ids[0])"#))
                #expect(body.contains(#""next":null"#) || !body.contains(#""next""#))
            }
            try await client.execute(uri: "/admin/jobs/\(ids[0])/cancel", method: .post, headers: auth) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""state":"cancelled""#))
            }
            try await client.execute(uri: "/admin/jobs/\(ids[0])/cancel", method: .post, headers: auth) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/admin/jobs/\(ids[0])/retry", method: .post, headers: auth) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""state":"available""#))
            }
            try await client.execute(uri: "/admin/jobs/stats", method: .get, headers: auth) { response in
                #expect(String(buffer: response.body) == #"{"queues":{"default":{"available":5,"cancelled":0,"completed":0,"dead":0,"running":0}},"total":{"available":5,"cancelled":0,"completed":0,"dead":0,"running":0}}"#)
            }
            try await client.execute(uri: "/admin/jobs/\(ids[2])", method: .get, headers: auth) { response in
                #expect(String(buffer: response.body).contains(#""kind":"noop""#))
            }
            try await client.execute(uri: "/admin/jobs/999999", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/admin/jobs/abc", method: .get, headers: auth) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/admin/jobs?state=sleeping", method: .get, headers: auth) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("state must be one of"))
            }
        }
    }
}
