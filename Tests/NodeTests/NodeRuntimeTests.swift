import Foundation
import Logging
import Node
import Persistence
import ServiceLifecycle
import Testing

@Suite("Node runtime and presence")
struct NodeRuntimeTests {
    let logger = Logger(label: "lightbox.tests")

    private func settings(dataDirectory: String, database: String? = nil) throws -> Settings {
        var flags: [String: (value: String, flag: String)] = ["data-dir": (dataDirectory, "--data-dir")]
        if let database { flags["database.url"] = (database, "--database") }
        return try SettingsLoader(flags: flags, environment: [:]).load()
    }

    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString)").path
    }

    @Test("a first start creates the database and keys; a second start finds them unchanged")
    func restart() async throws {
        let path = temporaryPath()
        let first = try await NodeRuntime.start(settings: try settings(dataDirectory: path), migrations: NodeMigrations.all, logger: logger)
        try await first.database.execute(
            "INSERT INTO node_processes (id, role, host, pid, version, started_at, heartbeat_at) VALUES ('x', 'test', 'h', 1, '0', 0, 0)",
            logger: logger
        )
        let key = first.identity.publicKey
        await first.stop()
        #expect(FileManager.default.fileExists(atPath: path + "/lightbox.sqlite"))
        let second = try await NodeRuntime.start(settings: try settings(dataDirectory: path), migrations: NodeMigrations.all, logger: logger)
        #expect(second.identity.publicKey == key)
        let rows = try await second.database.query("SELECT id FROM node_processes", logger: logger)
        #expect(try rows.map { try $0.decode("id", as: String.self) } == ["x"])
        #expect(try await second.migrator.isUpToDate(second.database, logger: logger))
        await second.stop()
    }

    @Test("an unreachable PostgreSQL stops the start before anything is created on disk")
    func nothingHalfMade() async throws {
        let path = temporaryPath()
        await #expect(throws: DatabaseError.self) {
            try await NodeRuntime.start(
                settings: try settings(dataDirectory: path, database: "postgres://lightbox:pw@127.0.0.1:1/lightbox"),
                migrations: NodeMigrations.all, logger: logger
            )
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a database from a newer Lightbox stops the start and removes the directory it created")
    func newerSchema() async throws {
        let path = temporaryPath()
        let newer = NodeMigrations.all + [Migration(module: "future", version: 1, name: "from the future") { _ in ["CREATE TABLE future (x BIGINT)"] }]
        let runtime = try await NodeRuntime.start(settings: try settings(dataDirectory: path), migrations: newer, logger: logger)
        await runtime.stop()
        let error = await #expect(throws: DatabaseError.self) {
            try await NodeRuntime.start(settings: try settings(dataDirectory: path), migrations: NodeMigrations.all, logger: logger)
        }
        #expect(error?.code == .schemaTooNew)
        #expect(FileManager.default.fileExists(atPath: path + "/lightbox.sqlite"), "an existing directory is kept")
    }

    @Test("the presence service registers the process, and marks it stopped on graceful shutdown")
    func presence() async throws {
        let runtime = try await NodeRuntime.start(settings: try settings(dataDirectory: temporaryPath()), migrations: NodeMigrations.all, logger: logger)
        let presence = PresenceService(role: "worker", database: runtime.database, interval: .milliseconds(50), logger: logger)
        let group = ServiceGroup(services: [presence], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var live: [PresenceService.Record] = []
            for _ in 0..<100 where live.isEmpty {
                live = try await PresenceService.live(in: runtime.database, logger: logger)
                if live.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(live.map(\.id) == [presence.processID])
            #expect(live.first?.role == "worker")
            #expect(live.first?.pid == Int(getpid()))
            var beat = live[0].heartbeatAt
            for _ in 0..<200 where beat <= live[0].heartbeatAt {
                try await Task.sleep(for: .milliseconds(20))
                beat = try await PresenceService.live(in: runtime.database, logger: logger).first?.heartbeatAt ?? beat
            }
            #expect(beat > live[0].heartbeatAt, "heartbeats move forward")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await PresenceService.live(in: runtime.database, logger: logger).isEmpty)
        let stopped = try await runtime.database.query("SELECT stopped_at FROM node_processes", logger: logger)
        #expect(try stopped.first?.decode("stopped_at", as: Date?.self) != nil)
        await runtime.stop()
    }
}
