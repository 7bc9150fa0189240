import Foundation
import Persistence

/// The built-in diagnostic job: does nothing, or waits, or fails on purpose, or records each attempt.
///
/// Used by `lightbox jobs enqueue noop` and `lightbox bench queue`, and by the reliability tests: with `record`
/// set, every attempt writes one row to `job_noop_runs` keyed by (job, attempt), an idempotent effect.
public struct NoopJob: JobKind {
    public struct Payload: Codable, Sendable, Equatable {
        /// How long to pretend to work.
        public var sleepMilliseconds: Int?
        /// Fail this many first attempts.
        public var failAttempts: Int?
        /// Record each attempt in `job_noop_runs`.
        public var record: Bool?

        public init(sleepMilliseconds: Int? = nil, failAttempts: Int? = nil, record: Bool? = nil) {
            self.sleepMilliseconds = sleepMilliseconds
            self.failAttempts = failAttempts
            self.record = record
        }
    }

    public static let name = "noop"
    public static var backoff: Backoff { .exponential(base: .milliseconds(50), cap: .seconds(1)) }

    public init() {}

    struct PlannedFailure: Error, CustomStringConvertible {
        let attempt: Int
        var description: String { "planned failure on attempt \(attempt)" }
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let started = Date()
        if let milliseconds = payload.sleepMilliseconds, milliseconds > 0 {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
        if payload.record == true {
            // Keyed by (job, attempt): running the same attempt twice leaves one row.
            try await context.database.execute(
                """
                INSERT INTO job_noop_runs (job_id, attempt, worker_id, started_at, finished_at)
                VALUES (\(context.jobID), \(context.attempt), \(context.workerID), \(started), \(Date()))
                ON CONFLICT (job_id, attempt) DO NOTHING
                """,
                logger: context.logger
            )
        }
        if context.attempt <= payload.failAttempts ?? 0 { throw PlannedFailure(attempt: context.attempt) }
    }
}
