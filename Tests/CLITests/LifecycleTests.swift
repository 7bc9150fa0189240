import Foundation
import Testing

/// `serve`, `worker`, `config` and `node info` as an operator runs them.
@Suite("CLI: running a node")
struct LifecycleTests {
    @Test("serve answers health, readiness and metrics, then stops cleanly on a signal", arguments: [SIGTERM, SIGINT])
    func serveAndStop(signal: Int32) async throws {
        let directory = try LightboxProcess.workingDirectory()
        let port = try LightboxProcess.freePort()
        let enqueued = try await LightboxProcess.run(["jobs", "enqueue", "noop", "--count", "3"], in: directory)
        #expect(enqueued.status == 0)
        let running = try LightboxProcess.start(["serve", "--port", "\(port)", "--log-format", "json"], in: directory)
        let health = try await LightboxProcess.waitUntilServing("http://127.0.0.1:\(port)/healthz", running: running)
        #expect(health.status == 200)
        let ready = await LightboxProcess.get("http://127.0.0.1:\(port)/readyz")
        #expect(ready?.status == 200)
        // The in-process workers run the jobs enqueued before the server started.
        var metrics = await LightboxProcess.get("http://127.0.0.1:\(port)/metrics")
        for _ in 0..<100 where metrics?.body.contains(#"outcome="completed"} 3"#) != true {
            try await Task.sleep(for: .milliseconds(50))
            metrics = await LightboxProcess.get("http://127.0.0.1:\(port)/metrics")
        }
        #expect(metrics?.body.contains(#"lightbox_jobs_finished_total{queue="default",kind="noop",outcome="completed"} 3"#) == true)
        #expect(metrics?.body.contains("lightbox_job_run_seconds") == true)
        #expect(metrics?.body.contains("lightbox_build_info{version=") == true)
        #expect(metrics?.body.contains("lightbox_http_requests_total") == true)
        running.signal(signal)
        let output = try await running.wait(timeout: .seconds(20))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("{\"time\":") }, "every log line is JSON")
        #expect(lines.last?.contains(#""message":"stopped""#) == true)
        #expect(await LightboxProcess.get("http://127.0.0.1:\(port)/healthz") == nil)
        // Keys were created with the right modes, and never logged.
        let keys = directory.appendingPathComponent(".lightbox/keys")
        for name in ["node-signing.key", "master.key", "node-account.key", "qa-signer.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: keys.appendingPathComponent(name).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let file = try String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8)
            let secret = try #require(file.split(separator: "\"").drop { $0 != "key" }.dropFirst(2).first)
            #expect(!output.stderr.contains(secret))
        }
    }

    @Test("the node's identity and data survive a restart")
    func restart() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let first = try await LightboxProcess.run(["node", "info", "--json"], in: directory)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let port = try LightboxProcess.freePort()
        let running = try LightboxProcess.start(["serve", "--port", "\(port)"], in: directory)
        _ = try await LightboxProcess.waitUntilServing("http://127.0.0.1:\(port)/readyz", running: running)
        running.signal(SIGTERM)
        #expect(try await running.wait(timeout: .seconds(20)).status == 0)
        let second = try await LightboxProcess.run(["node", "info", "--json"], in: directory)
        let key = { (text: String) in text.split(separator: "\n").first { $0.contains("publicKeyHex") } }
        #expect(key(first.stdout) != nil)
        #expect(key(first.stdout) == key(second.stdout))
        let status = try await LightboxProcess.run(["db", "status"], in: directory)
        #expect(status.status == 0)
        #expect(status.stdout.contains("node/1"))
        #expect(status.stdout.contains("applied"))
    }

    @Test("a worker registers itself beside the server, on PostgreSQL, and stops cleanly")
    func workerOnPostgres() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let database = try await PostgresTestServer.freshDatabaseURL()
        let environment = ["LIGHTBOX_DATABASE_URL": database]
        let port = try LightboxProcess.freePort()
        let server = try LightboxProcess.start(["serve", "--port", "\(port)", "--data-dir", "serve-data"], in: directory, environment: environment)
        let ready = try await LightboxProcess.waitUntilServing("http://127.0.0.1:\(port)/readyz", running: server)
        #expect(ready.status == 200)
        // A process of the same node in a directory of its own: with a copy of the node's keys.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("worker-data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("serve-data/keys"), to: directory.appendingPathComponent("worker-data/keys"))
        let worker = try LightboxProcess.start(["worker", "--data-dir", "worker-data"], in: directory, environment: environment)
        var roles: [String] = []
        for _ in 0..<100 {
            let info = try await LightboxProcess.run(["node", "info", "--data-dir", "serve-data"], in: directory, environment: environment)
            roles = info.stdout.split(separator: "\n").filter { $0.contains(" pid ") }.map { String($0) }
            if roles.count == 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(roles.contains { $0.contains("worker pid") })
        #expect(roles.contains { $0.contains("serve+workers pid") })
        worker.signal(SIGTERM)
        server.signal(SIGTERM)
        #expect(try await worker.wait(timeout: .seconds(20)).status == 0)
        #expect(try await server.wait(timeout: .seconds(20)).status == 0)
        let after = try await LightboxProcess.run(["node", "info", "--data-dir", "serve-data"], in: directory, environment: environment)
        #expect(after.stdout.contains("processes        none running"))
    }

    @Test("config shows each value's source, with the database password redacted")
    func config() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data(#"{"http": {"port": 1111}, "log": {"level": "debug"}}"#.utf8)
            .write(to: directory.appendingPathComponent("c.json"))
        let output = try await LightboxProcess.run(
            ["config", "--config", "c.json", "--port", "3333"], in: directory,
            environment: ["LIGHTBOX_HTTP_PORT": "2222", "LIGHTBOX_DATABASE_URL": "postgres://lb:hunter2@db/lightbox"]
        )
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("http.port 3333 flag --port"))
        #expect(lines.contains("log.level debug file c.json"))
        #expect(lines.contains("database.url postgres://lb:***@db/lightbox environment LIGHTBOX_DATABASE_URL"))
        #expect(lines.contains("log.format plain default"))
        #expect(!output.stdout.contains("hunter2"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".lightbox").path))
    }
}
