import Foundation
import JobQueue
import LightboxTestSupport
import Persistence
import Testing

@Suite("Enqueueing, on SQLite and PostgreSQL")
struct EnqueueTests {
    @Test("jobs are claimed by priority, then run time, then age; scheduled jobs wait", arguments: Backend.allCases)
    func order(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let low = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(priority: 5))
            let first = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(priority: -1))
            let second = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(priority: -1))
            let later = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(priority: -9, runAt: Date() + 3600))
            var pool = JobRegistry()
            pool.register(NoopJob())
            try await h.withWorkers(configure: { $0.queues = ["default": 1]; $0.batchSize = 1 }) { _ in
                try await h.eventually("three jobs ran") { try await h.count(.completed) == 3 }
            }
            let ran = try await h.database.query(
                "SELECT id FROM jobs WHERE state = 'completed' ORDER BY attempted_at, id", logger: h.logger
            ).map { try $0.decode("id", as: Int64.self) }
            #expect(ran == [first.id, second.id, low.id])
            #expect(try await h.queue.job(later.id)?.state == .available)
        }
    }

    @Test("a unique key returns the existing job instead of a second one", arguments: Backend.allCases)
    func uniqueKeys(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let a = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(uniqueKey: "listing-7"))
            let b = try await h.queue.enqueue(NoopJob.self, .init(sleepMilliseconds: 1), options: .init(uniqueKey: "listing-7"))
            #expect(!a.isDuplicate && b.isDuplicate && a.id == b.id)
            let batch = try await h.queue.enqueueBatch(
                NoopJob.self,
                [(.init(), .init(uniqueKey: "x")), (.init(), .init()), (.init(), .init(uniqueKey: "x")), (.init(), .init(uniqueKey: "listing-7"))]
            )
            #expect(batch.map(\.isDuplicate) == [false, false, true, true])
            #expect(batch[2].id == batch[0].id)
            #expect(batch[3].id == a.id)
            #expect(Set(batch.map(\.id)).count == 3)
            let total = try await h.queue.stats().totals[.available]
            #expect(total == 3)
            // A dead job no longer holds its key.
            try await h.database.execute("UPDATE jobs SET state = 'dead' WHERE id = \(a.id)", logger: h.logger)
            let c = try await h.queue.enqueue(NoopJob.self, .init(), options: .init(uniqueKey: "listing-7"))
            #expect(!c.isDuplicate && c.id != a.id)
        }
    }

    @Test("an enqueue inside a rolled-back transaction leaves no job; a committed one does", arguments: Backend.allCases)
    func transactional(backend: Backend) async throws {
        struct Abort: Error {}
        try await QueueHarness.with(backend) { h in
            await #expect(throws: Abort.self) {
                try await h.database.withTransaction(logger: h.logger) { connection in
                    try await connection.execute("INSERT INTO test_counters VALUES ('state', 1)")
                    try await h.queue.enqueue(NoopJob.self, .init(), on: connection)
                    throw Abort()
                }
            }
            #expect(try await h.queue.list().isEmpty)
            let id = try await h.database.withTransaction(logger: h.logger) { connection in
                try await connection.execute("INSERT INTO test_counters VALUES ('state', 1)")
                return try await h.queue.enqueue(NoopJob.self, .init(), on: connection).id
            }
            #expect(try await h.queue.list().map(\.id) == [id])
        }
    }

    @Test("large batches come back in input order", arguments: Backend.allCases)
    func largeBatch(backend: Backend) async throws {
        try await QueueHarness.with(backend) { h in
            let payloads = (0..<1_234).map { (NoopJob.Payload(sleepMilliseconds: $0), JobOptions()) }
            let results = try await h.queue.enqueueBatch(NoopJob.self, payloads)
            #expect(results.count == 1_234)
            #expect(results.map(\.id) == results.map(\.id).sorted())
            let job = try #require(try await h.queue.job(results[777].id))
            #expect(job.payloadText == #"{"sleepMilliseconds":777}"#)
            #expect(job.maxAttempts == NoopJob.maxAttempts)
        }
    }

    @Test("nonsense options are refused")
    func badOptions() async throws {
        try await QueueHarness.with(.sqlite) { h in
            let error = await #expect(throws: JobQueueError.self) {
                try await h.queue.enqueue(NoopJob.self, .init(), options: .init(maxAttempts: 0))
            }
            #expect(error?.code == .invalidOptions)
        }
    }
}
