import Foundation
import Logging
import Synchronization

/// The claim loop of one queue: claims up to its free slots, runs each job in a child task, and records outcomes
/// in batches between claims.
final class QueueProcessor: Sendable {
    let pool: JobWorkerPool
    let queueName: String
    let kinds: [String]
    let concurrency: Int
    let wake = WakeSignal()
    private let finished = Mutex<[Outcome]>([])

    enum Outcome: Sendable {
        case completed(JobRecord, runNanoseconds: Int64)
        /// `at` is when the attempt failed: its error's time, and the time any retry's back-off counts from, however
        /// late the outcome is written.
        case failed(JobRecord, JobQueue.FailureOutcome, message: String, at: Date, runNanoseconds: Int64)
    }

    init(pool: JobWorkerPool, queueName: String, kinds: [String], concurrency: Int) {
        self.pool = pool
        self.queueName = queueName
        self.kinds = kinds
        self.concurrency = concurrency
    }

    func run() async {
        let ticker = Task { [wake, interval = pool.configuration.pollInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.signal()
            }
        }
        defer { ticker.cancel() }
        var wakeups = wake.makeIterator()
        var running = 0
        var failures: [Outcome] = []
        // Completed jobs are written together with the next claim: one round trip, one commit.
        var completions: [Int64] = []
        await withDiscardingTaskGroup { group in
            while true {
                let done = finished.withLock { outcomes in
                    defer { outcomes.removeAll(keepingCapacity: true) }
                    return outcomes
                }
                running -= done.count
                for outcome in done {
                    if case .completed(let job, _) = outcome { completions.append(job.id) } else { failures.append(outcome) }
                }
                failures = await recordFailures(failures)

                var claimedAll = false
                if !pool.isStopping && running < concurrency {
                    let wanted = min(concurrency - running, pool.configuration.batchSize)
                    do {
                        let jobs = try await pool.queue.claim(
                            queue: queueName, kinds: kinds, limit: wanted, workerID: pool.workerID,
                            leaseUntil: Date() + pool.configuration.leaseDuration.seconds, completing: completions
                        )
                        pool.inFlight.release(completions)
                        completions.removeAll(keepingCapacity: true)
                        pool.inFlight.hold(jobs.map(\.id))
                        for job in jobs {
                            running += 1
                            group.addTask { await self.execute(job) }
                        }
                        claimedAll = jobs.count == wanted
                    } catch {
                        pool.logger.warning("claiming jobs failed", metadata: ["queue": "\(queueName)", "error": "\(error)"])
                    }
                } else if !completions.isEmpty {
                    do {
                        try await pool.queue.complete(completions, workerID: pool.workerID)
                        pool.inFlight.release(completions)
                        completions.removeAll(keepingCapacity: true)
                    } catch {
                        pool.logger.warning("recording completed jobs failed; will retry", metadata: ["error": "\(error)"])
                    }
                }
                let settled = completions.isEmpty && failures.isEmpty
                if pool.isStopping && running == 0 && (settled || Task.isCancelled) { break }
                if claimedAll && running < concurrency { continue }
                if await wakeups.next() == nil { break }
            }
        }
    }

    /// Writes failed attempts; returns those that could not be written yet (the database is away), to try again.
    private func recordFailures(_ outcomes: [Outcome]) async -> [Outcome] {
        var left: [Outcome] = []
        for outcome in outcomes {
            guard case .failed(let job, let how, let message, let at, _) = outcome else { continue }
            do {
                try await pool.queue.fail(job, outcome: how, message: message, workerID: pool.workerID, now: at)
                pool.inFlight.release([job.id])
            } catch {
                pool.logger.warning("recording a failed job failed; will retry", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
                left.append(outcome)
            }
        }
        if !left.isEmpty { try? await Task.sleep(for: .milliseconds(200)) }
        return left
    }

    private func execute(_ job: JobRecord) async {
        var logger = pool.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger[metadataKey: "job.kind"] = "\(job.kind)"
        if let attemptedAt = job.attemptedAt {
            pool.metrics.waited(queue: queueName, nanoseconds: Int64((attemptedAt.timeIntervalSince(job.runAt)) * 1e9))
        }
        let start = ContinuousClock.now
        let outcome: Outcome
        if let handler = pool.registry.handlers[job.kind] {
            let context = JobContext(
                jobID: job.id, attempt: job.attempt, kind: job.kind, workerID: pool.workerID, queue: pool.queue,
                logger: logger
            )
            let task = Task { try await handler.run(job.payload, context) }
            pool.inFlight.started(job.id, task: task)
            let result = await task.result
            let cancelRequested = pool.inFlight.finished(job.id)
            let elapsed = Int64((ContinuousClock.now - start) / .nanoseconds(1))
            switch result {
            case .success:
                outcome = .completed(job, runNanoseconds: elapsed)
            case .failure(let error):
                let failedAt = Date()
                outcome = .failed(
                    job, decide(job, error: error, cancelRequested: cancelRequested, backoff: handler.backoff, at: failedAt),
                    message: describe(error), at: failedAt, runNanoseconds: elapsed)
            }
        } else {
            outcome = .failed(job, .dead, message: "no handler for kind \(job.kind) in this worker", at: Date(), runNanoseconds: 0)
        }
        switch outcome {
        case .completed(_, let nanoseconds):
            pool.metrics.finished(queue: queueName, kind: job.kind, outcome: "completed", runNanoseconds: nanoseconds)
        case .failed(_, let how, let message, _, let nanoseconds):
            let name = switch how { case .retry: "retried"; case .dead: "dead"; case .cancelled: "cancelled" }
            pool.metrics.finished(queue: queueName, kind: job.kind, outcome: name, runNanoseconds: nanoseconds)
            logger.warning("job failed", metadata: ["attempt": "\(job.attempt)", "outcome": "\(name)", "error": "\(message)"])
        }
        finished.withLock { $0.append(outcome) }
        wake.signal()
    }

    private func decide(_ job: JobRecord, error: any Error, cancelRequested: Bool, backoff: Backoff, at now: Date) -> JobQueue.FailureOutcome {
        if cancelRequested { return .cancelled }
        if let error = error as? JobQueueError, error.code == .payloadUndecodable { return .dead }
        if pool.isStopping && error is CancellationError { return .retry(at: now) }
        if job.attempt >= job.maxAttempts { return .dead }
        return .retry(at: now + backoff.delay(afterAttempt: job.attempt).seconds)
    }

    private func describe(_ error: any Error) -> String {
        if let error = error as? JobQueueError { return error.message }
        if error is CancellationError { return pool.isStopping ? "interrupted by shutdown" : "cancelled" }
        return String(describing: error)
    }
}
