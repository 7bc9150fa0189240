import Foundation
import JobQueue
import JobQueueTesting
import LightboxTestSupport
import Persistence
import Testing

@Suite("Workers, on SQLite and PostgreSQL")
struct WorkerTests {
    @Test("workers run every job once to completion", arguments: Backend.allCases)
    func drain(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            try await h.queue.enqueueBatch(NoopJob.self, Array(repeating: (NoopJob.Payload(record: true), JobOptions()), count: 300))
            try await h.withWorkers(configure: { $0.queues = ["default": 20]; $0.batchSize = 7 }) { _ in
                try await h.eventually("all jobs completed") { try await h.count(.completed) == 300 }
            }
            let runs = try await h.noopRuns()
            #expect(runs.count == 300)
            #expect(runs.allSatisfy { $0[1] == .integer(1) })
            #expect(try await h.count(.running) == 0)
        }
    }

    @Test("failures retry with back-off, then the job is kept dead with every error", arguments: Backend.allCases)
    func retriesThenDead(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let flaky = try await h.queue.enqueue(NoopJob.self, .init(failAttempts: 2, record: true), options: .init(maxAttempts: 5))
            let doomed = try await h.queue.enqueue(NoopJob.self, .init(failAttempts: 99), options: .init(maxAttempts: 3))
            try await h.withWorkers { _ in
                try await h.eventually("both jobs finished") {
                    let first = try await h.queue.job(flaky.id)?.state
                    let second = try await h.queue.job(doomed.id)?.state
                    return first == .completed && second == .dead
                }
            }
            let ok = try #require(try await h.queue.job(flaky.id))
            #expect(ok.attempt == 3)
            #expect(ok.errors.map(\.attempt) == [1, 2])
            let dead = try #require(try await h.queue.job(doomed.id))
            #expect(dead.attempt == 3)
            #expect(dead.errors.map(\.message) == (1...3).map { "planned failure on attempt \($0)" })
            #expect(dead.finalizedAt != nil)
            // Back-off: each retry waited at least the base delay (50 ms, less 20 % jitter).
            let gaps = zip(dead.errors, dead.errors.dropFirst()).map { $1.at.timeIntervalSince($0.at) }
            #expect(gaps.allSatisfy { $0 >= 0.04 }, "\(gaps)")
        }
    }

    @Test("a payload that no longer decodes kills that job with a clear error; the worker carries on", arguments: Backend.allCases)
    func undecodablePayload(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let bad = try await h.queue.enqueue(NoopJob.self, .init())
            try await h.database.execute(
                "UPDATE jobs SET payload = \(Array(#"{"sleepMilliseconds":"soon"}"#.utf8)) WHERE id = \(bad.id)", logger: h.logger
            )
            try await h.queue.enqueueBatch(NoopJob.self, Array(repeating: (NoopJob.Payload(), JobOptions()), count: 20))
            try await h.withWorkers { _ in
                try await h.eventually("the good jobs completed") { try await h.count(.completed) == 20 }
            }
            let job = try #require(try await h.queue.job(bad.id))
            #expect(job.state == .dead)
            #expect(job.attempt == 1, "never retried")
            let message = try #require(job.errors.first?.message)
            #expect(message.contains("does not decode as noop's payload"))
            #expect(message.contains("sleepMilliseconds"))
        }
    }

    @Test("cancelling: a waiting job at once, a running one stops, a finished one cannot be", arguments: Backend.allCases)
    func cancellation(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let waiting = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(runAt: Date() + 3600))
            #expect(try await h.queue.cancel(waiting.id).state == .cancelled)
            let long = try await h.queue.enqueue(NoopJob.self, .init(sleepMilliseconds: 60_000))
            try await h.withWorkers(configure: { $0.leaseDuration = .seconds(1) }) { _ in
                try await h.eventually("the long job runs") { try await h.queue.job(long.id)?.state == .running }
                #expect(try await h.queue.cancel(long.id).cancelRequested)
                try await h.eventually("the long job is cancelled", timeout: .seconds(10)) {
                    try await h.queue.job(long.id)?.state == .cancelled
                }
            }
            let error = await #expect(throws: JobQueueError.self) { try await h.queue.cancel(long.id) }
            #expect(error?.code == .invalidState)
            await #expect(throws: JobQueueError.self) { try await h.queue.cancel(999_999) }
        }
    }

    @Test("an operator's retry gives a dead job one more attempt", arguments: Backend.allCases)
    func operatorRetry(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let job = try await h.queue.enqueue(NoopJob.self, .init(failAttempts: 1), options: .init(maxAttempts: 1))
            try await h.withWorkers { _ in
                try await h.eventually("the job died") { try await h.queue.job(job.id)?.state == .dead }
                let retried = try await h.queue.retry(job.id)
                #expect(retried.state == .available && retried.maxAttempts == 2)
                try await h.eventually("the retried job completed") { try await h.queue.job(job.id)?.state == .completed }
            }
            await #expect(throws: JobQueueError.self) { try await h.queue.retry(job.id) }
        }
    }

    @Test("a job whose worker died is rescued when its lease expires, or kept dead on its last attempt", arguments: Backend.allCases)
    func rescue(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let orphan = try await h.queue.enqueue(NoopJob.self, .init(record: true))
            let last = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(maxAttempts: 1))
            // A worker that claimed both and vanished: running, lease already over.
            try await h.database.execute(
                "UPDATE jobs SET state = 'running', attempt = 1, worker_id = 'ghost', lease_until = \(Date() - 1)",
                logger: h.logger
            )
            try await h.withWorkers { _ in
                try await h.eventually("the orphan completed") { try await h.queue.job(orphan.id)?.state == .completed }
            }
            let rescued = try #require(try await h.queue.job(orphan.id))
            #expect(rescued.attempt == 2)
            #expect(rescued.errors.first?.message.contains("ghost stopped renewing its lease") == true)
            #expect(try await h.queue.job(last.id)?.state == .dead)
        }
    }

    @Test("leases of long jobs are renewed, so they are not rescued while they run", arguments: Backend.allCases)
    func heartbeats(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            // The job runs for three leases; heartbeats keep moving its lease forward.
            let job = try await h.queue.enqueue(NoopJob.self, .init(sleepMilliseconds: 6_000, record: true))
            try await h.withWorkers(configure: { $0.leaseDuration = .seconds(2); $0.maintenanceInterval = .milliseconds(100) }) { _ in
                try await h.eventually("the job runs") { try await h.queue.job(job.id)?.state == .running }
                let firstLease = try #require(try await h.queue.job(job.id)?.leaseUntil)
                try await h.eventually("the lease was renewed") {
                    let record = try await h.queue.job(job.id)
                    return record?.state == .completed || (record?.leaseUntil ?? firstLease) > firstLease + 1
                }
                #expect(try await h.queue.job(job.id)?.state == .running)
                try await h.eventually("the job completed") { try await h.queue.job(job.id)?.state == .completed }
            }
            let done = try #require(try await h.queue.job(job.id))
            #expect(done.attempt == 1)
            #expect(done.errors.isEmpty)
            #expect(try await h.noopRuns().count == 1)
        }
    }

    @Test("an idle worker starts a new job on the wake-up channel, not the poll", arguments: Backend.allCases)
    func wakeUp(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            try await h.withWorkers(configure: { $0.pollInterval = .seconds(600) }) { _ in
                try await Task.sleep(for: .milliseconds(300))  // let the workers go idle
                let job = try await h.queue.enqueue(NoopJob.self, .init())
                // The poll would take ten minutes; only the notification can make this pass.
                try await h.eventually("the job completed", timeout: .seconds(30)) {
                    try await h.queue.job(job.id)?.state == .completed
                }
            }
        }
    }

    @Test("graceful shutdown lets running jobs finish and claims nothing new", arguments: Backend.allCases)
    func gracefulShutdown(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            // The job must still be running when shutdown begins, however loaded the machine: it runs for 2.5 s.
            let running = try await h.queue.enqueue(NoopJob.self, .init(sleepMilliseconds: 2_500, record: true))
            try await h.withWorkers(configure: { $0.queues = ["default": 1] }) { _ in
                try await h.eventually("the job runs") { try await h.queue.job(running.id)?.state == .running }
                _ = try await h.queue.enqueue(NoopJob.self, .init())
            }
            #expect(try await h.queue.job(running.id)?.state == .completed)
            #expect(try await h.count(.available) == 1)
        }
    }

    @Test("completed jobs are pruned after their retention; dead ones are kept", arguments: Backend.allCases)
    func pruning(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let done = try await h.queue.enqueue(NoopJob.self, .init())
            let dead = try await h.queue.enqueue(NoopJob.self, .init())
            let old = Date() - 3 * 86_400
            try await h.database.execute("UPDATE jobs SET state = 'completed', finalized_at = \(old) WHERE id = \(done.id)", logger: h.logger)
            try await h.database.execute("UPDATE jobs SET state = 'dead', finalized_at = \(old) WHERE id = \(dead.id)", logger: h.logger)
            #expect(try await h.queue.prune(completedBefore: Date() - 86_400, cancelledBefore: Date()) == 1)
            #expect(try await h.queue.job(done.id) == nil)
            #expect(try await h.queue.job(dead.id)?.state == .dead)
            let stats = try await h.queue.stats()
            #expect(stats.totals[.dead] == 1 && stats.totals[.completed] == 0)
        }
    }

    @Test("the idempotency helper passes an idempotent handler and catches one that is not")
    func idempotency() async throws {
        struct Increment: JobKind {
            struct Payload: Codable, Sendable {}
            static let name = "test.increment"
            func run(_ payload: Payload, context: JobContext) async throws {
                try await context.database.execute(
                    """
                    INSERT INTO test_counters (name, value) VALUES ('hits', 1)
                    ON CONFLICT (name) DO UPDATE SET value = test_counters.value + 1
                    """,
                    logger: context.logger
                )
            }
        }
        try await QueueHarness.with(.sqlite) { h in
            let context = JobContext(jobID: 1, attempt: 1, kind: NoopJob.name, workerID: "test", queue: h.queue, logger: h.logger)
            let effect = try await JobIdempotency.check(NoopJob(), payload: .init(record: true), context: context) {
                try await h.noopRuns()
            }
            #expect(effect.count == 1)
            let counter = { try await h.database.query("SELECT value FROM test_counters", logger: h.logger).map(\.values) }
            await #expect(throws: JobIdempotency.Violation<[[SQLValue]]>.self) {
                try await JobIdempotency.check(Increment(), payload: .init(), context: context, effect: counter)
            }
        }
    }
}
