import Foundation
import JobQueue
import LightboxTestSupport
import Logging
import Persistence
import ServiceLifecycle
import Testing

/// A fresh migrated database with a queue, and helpers to run workers against it.
struct QueueHarness {
    let database: any Database
    let queue: JobQueue
    let logger = TestDatabases.logger

    static let migrations = JobQueueMigrations.all + [
        Migration(module: "test", version: 1, name: "create counters") { _ in
            ["CREATE TABLE test_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"]
        }
    ]

    static func with(_ backend: Backend, _ body: (QueueHarness) async throws -> Void) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await Migrator(migrations: migrations).migrate(database, logger: TestDatabases.logger)
            try await body(QueueHarness(database: database, queue: JobQueue(database: database, logger: TestDatabases.logger)))
        }
    }

    /// Runs a worker pool while `body` runs, then shuts it down gracefully.
    func withWorkers(
        configure: (inout JobWorkerPool.Configuration) -> Void = { _ in },
        register: (inout JobRegistry) -> Void = { $0.register(NoopJob()) },
        _ body: @Sendable (JobWorkerPool) async throws -> Void
    ) async throws {
        var configuration = JobWorkerPool.Configuration()
        configuration.pollInterval = .milliseconds(50)
        configure(&configuration)
        var registry = JobRegistry()
        register(&registry)
        let pool = JobWorkerPool(queue: queue, registry: registry, configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [pool], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(pool)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until `condition` holds, polling; fails the test after `timeout`.
    func eventually(
        _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    func count(_ state: JobState) async throws -> Int {
        try await queue.stats().totals[state] ?? 0
    }

    func noopRuns() async throws -> [[SQLValue]] {
        try await database.query("SELECT job_id, attempt FROM job_noop_runs ORDER BY job_id, attempt", logger: logger)
            .map(\.values)
    }
}
