import ArgumentParser
import Foundation
import JobQueue
import Logging
import Node
import Persistence
import ServiceLifecycle

/// Enqueues no-op jobs in batches and drains them with the normal worker pool; then measures how soon a single
/// job starts after it is enqueued, with idle workers waiting on the wake-up channel.
struct QueueBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Job queue throughput (enqueue, drain, end-to-end) and enqueue-to-start latency.",
        discussion: """
            SQLite runs in a temporary file. PostgreSQL needs --database: the benchmark creates its own database on \
            that server and drops it afterwards. ops/bench/pgqueuer_baseline.py runs PgQueuer on the same workload.
            """
    )

    @Option(help: "sqlite or postgres.") var backend = "sqlite"
    @Option(help: "PostgreSQL URL of a user that may create databases (for --backend postgres).") var database: String?
    @Option(help: "Jobs to enqueue and drain.") var jobs = 20_000
    @Option(help: "Jobs enqueued per batch.") var enqueueBatch = 1_000
    @Option(help: "Jobs run at once.") var concurrency = 200
    @Option(help: "Jobs claimed per claim.") var claimBatch = 200
    @Option(help: "Single jobs enqueued one by one to time enqueue-to-start.") var latencyJobs = 300
    @Flag(help: "Skip the PgQueuer baseline (PostgreSQL only).") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard jobs > 0, enqueueBatch > 0, concurrency > 0, claimBatch > 0, latencyJobs > 0 else {
                throw ValidationError("--jobs, --enqueue-batch, --concurrency, --claim-batch and --latency-jobs must be positive")
            }
            var logger = Logger(label: "lightbox.bench")
            logger.logLevel = .warning
            let scratch = try BenchDatabase(backend: backend, url: database)
            let db = try await scratch.open()
            do {
                try await Migrator(migrations: AllMigrations.list).migrate(db, logger: logger)
                var report = try await measure(db, logger: logger)
                await db.close()
                await scratch.drop()
                if backend == "postgres", !noBaseline, let database {
                    report.baselineName = "PgQueuer 1.6 (asyncpg, 2 workers × batch \(claimBatch))"
                    report.baseline = try BaselineRunner.run(
                        "ops/bench/pgqueuer_baseline.py",
                        arguments: [
                            "--dsn", database, "--jobs", "\(jobs)", "--enqueue-batch", "\(enqueueBatch)",
                            "--claim-batch", "\(claimBatch)", "--workers", "2",
                        ]
                    ).map { ($0.key, $0.value, "jobs/s") }
                }
                report.print()
            } catch {
                await db.close()
                await scratch.drop()
                throw error
            }
        }
    }

    private func measure(_ db: any Database, logger: Logger) async throws -> BenchmarkReport {
        let queue = JobQueue(database: db, logger: logger)
        var report = BenchmarkReport(
            name: "queue",
            parameters: [
                "backend": backend, "jobs": "\(jobs)", "enqueue_batch": "\(enqueueBatch)",
                "concurrency": "\(concurrency)", "claim_batch": "\(claimBatch)",
            ]
        )
        let enqueueStart = ContinuousClock.now
        var left = jobs
        while left > 0 {
            let batch = min(left, enqueueBatch)
            try await queue.enqueueBatch(NoopJob.self, Array(repeating: (NoopJob.Payload(), JobOptions()), count: batch))
            left -= batch
        }
        let enqueueSeconds = (ContinuousClock.now - enqueueStart).seconds

        var registry = JobRegistry()
        registry.register(NoopJob())
        var configuration = JobWorkerPool.Configuration()
        configuration.queues = ["default": concurrency]
        configuration.batchSize = claimBatch
        configuration.maintenanceInterval = .seconds(3600)
        let pool = JobWorkerPool(queue: queue, registry: registry, configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [pool], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            let drainStart = ContinuousClock.now
            tasks.addTask { try await group.run() }
            try await waitUntilCompleted(jobs, db: db, logger: logger)
            let drainSeconds = (ContinuousClock.now - drainStart).seconds

            // Latency: with the workers idle, one job at a time.
            var ids: [Int64] = []
            for _ in 0..<latencyJobs {
                ids.append(try await queue.enqueue(NoopJob.self, .init()).id)
                try await Task.sleep(for: .milliseconds(3))
            }
            try await waitUntilCompleted(jobs + latencyJobs, db: db, logger: logger)
            let delays = try await db.query(
                "SELECT attempted_at - created_at AS delay FROM jobs WHERE id IN (\(list: ids))", logger: logger
            ).map { Double(try $0.decode("delay", as: Int64.self)) / 1000 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()

            report.add("enqueue_jobs_per_s", Double(jobs) / enqueueSeconds, "jobs/s")
            report.add("drain_jobs_per_s", Double(jobs) / drainSeconds, "jobs/s")
            report.add("end_to_end_jobs_per_s", Double(jobs) / (enqueueSeconds + drainSeconds), "jobs/s")
            let percentiles = Percentiles(delays)
            report.add("enqueue_to_start_p50_ms", percentiles.value(0.5), "ms")
            report.add("enqueue_to_start_p99_ms", percentiles.value(0.99), "ms")
            return report
        }
    }

    private func waitUntilCompleted(_ count: Int, db: any Database, logger: Logger) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let done = try await db.query("SELECT COUNT(*) AS n FROM jobs WHERE state = 'completed'", logger: logger)[0]
                .decode("n", as: Int.self)
            if done >= count { return }
            let dead = try await db.query("SELECT COUNT(*) AS n FROM jobs WHERE state = 'dead'", logger: logger)[0]
                .decode("n", as: Int.self)
            if dead > 0 { throw ValidationError("\(dead) benchmark jobs died; see `lightbox jobs list --state dead`") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("the queue did not drain within 10 minutes")
    }
}
