import Foundation
import Persistence

/// The worker's side of the queue: claim, finish, heartbeat, rescue.
extension JobQueue {
    /// Claims up to `limit` available jobs of `kinds` on `queue` for `workerID`, leased until `leaseUntil`, and in
    /// the same statement (PostgreSQL) or transaction (SQLite) marks the jobs in `completing` completed.
    ///
    /// PostgreSQL: one statement with `FOR UPDATE SKIP LOCKED`, so concurrent workers never claim the same job and
    /// never wait on each other, and a claim round costs one round trip and one commit. SQLite: `UPDATE … WHERE id
    /// IN (SELECT …) RETURNING` under the write lock (one writer at a time).
    func claim(
        queue: String, kinds: [String], limit: Int, workerID: String, leaseUntil: Date, completing: [Int64] = [],
        now: Date = Date()
    ) async throws -> [JobRecord] {
        let candidates: SQLQuery = """
            SELECT id FROM jobs WHERE state = 'available' AND queue = \(queue) AND run_at <= \(now)
            AND kind IN (\(list: kinds)) ORDER BY priority, run_at, id LIMIT \(limit)
            """
        let rows: [SQLRow]
        switch database.dialect {
        case .postgres:
            let done: SQLQuery =
                completing.isEmpty
                ? ""
                : """
                done AS (UPDATE jobs SET state = 'completed', finalized_at = \(now), lease_until = NULL
                WHERE state = 'running' AND worker_id = \(workerID) AND id IN (\(list: completing)) RETURNING id),
                """
            rows = try await database.query(
                """
                WITH \(done) picked AS (\(candidates) FOR UPDATE SKIP LOCKED)
                UPDATE jobs SET state = 'running', attempt = jobs.attempt + 1, attempted_at = \(now),
                lease_until = \(leaseUntil), worker_id = \(workerID)
                FROM picked WHERE jobs.id = picked.id RETURNING jobs.*
                """,
                logger: logger
            )
        case .sqlite:
            rows = try await database.withTransaction(logger: logger) { connection in
                if !completing.isEmpty { try await connection.execute(Self.completion(completing, workerID: workerID, now: now)) }
                return try await connection.query(
                    """
                    UPDATE jobs SET state = 'running', attempt = attempt + 1, attempted_at = \(now),
                    lease_until = \(leaseUntil), worker_id = \(workerID)
                    WHERE id IN (\(candidates)) RETURNING *
                    """
                )
            }
        }
        return try rows.map(JobRecord.init(row:)).sorted { ($0.priority, $0.runAt, $0.id) < ($1.priority, $1.runAt, $1.id) }
    }

    private static func completion(_ ids: [Int64], workerID: String, now: Date) -> SQLQuery {
        """
        UPDATE jobs SET state = 'completed', finalized_at = \(now), lease_until = NULL
        WHERE state = 'running' AND worker_id = \(workerID) AND id IN (\(list: ids))
        """
    }

    /// Marks jobs completed, if this worker still holds them.
    func complete(_ ids: [Int64], workerID: String, now: Date = Date()) async throws {
        guard !ids.isEmpty else { return }
        try await database.execute(Self.completion(ids, workerID: workerID, now: now), logger: logger)
    }

    /// How a failed attempt ends.
    enum FailureOutcome: Sendable, Equatable {
        case retry(at: Date)
        case dead
        case cancelled
    }

    /// Records a failed attempt: retried later, kept as dead, or cancelled; the error joins the job's history.
    func fail(_ job: JobRecord, outcome: FailureOutcome, message: String, workerID: String, now: Date = Date()) async throws {
        let errors = JobRecord.encodeErrors(job.errors + [JobAttemptError(attempt: job.attempt, at: now, message: message)])
        let update: SQLQuery =
            switch outcome {
            case .retry(let at): "state = 'available', run_at = \(at), finalized_at = NULL"
            case .dead: "state = 'dead', finalized_at = \(now)"
            case .cancelled: "state = 'cancelled', finalized_at = \(now)"
            }
        try await database.execute(
            """
            UPDATE jobs SET \(update), errors = \(errors), lease_until = NULL
            WHERE id = \(job.id) AND state = 'running' AND worker_id = \(workerID)
            """,
            logger: logger
        )
    }

    /// Extends the leases of jobs this worker runs; returns the ids an operator asked to cancel.
    func heartbeat(_ ids: [Int64], workerID: String, leaseUntil: Date) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.query(
            """
            UPDATE jobs SET lease_until = \(leaseUntil)
            WHERE state = 'running' AND worker_id = \(workerID) AND id IN (\(list: ids))
            RETURNING id, cancel_requested
            """,
            logger: logger
        )
        return Set(try rows.filter { try $0.decode("cancel_requested", as: Bool.self) }.map { try $0.decode("id") })
    }

    /// Returns jobs whose worker stopped renewing their lease (it died or hung) to the queue, or keeps them as dead
    /// when that was their last attempt.
    /// - Parameter held: The jobs the calling worker holds itself: it knows they are alive, however late their lease.
    /// - Returns: How many jobs were rescued.
    @discardableResult
    func rescueExpiredLeases(now: Date = Date(), limit: Int = 500, sparing held: (workerID: String, ids: [Int64])? = nil) async throws -> Int {
        try await database.withTransaction(logger: logger) { connection in
            let lock = connection.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            var spared: SQLQuery = ""
            if let held, !held.ids.isEmpty {
                spared = " AND NOT (worker_id = \(held.workerID) AND id IN (\(list: held.ids)))"
            }
            let expired = try await connection.query(
                "SELECT * FROM jobs WHERE state = 'running' AND lease_until < \(now)\(spared) ORDER BY id LIMIT \(limit)\(unsafeRaw: lock)"
            ).map(JobRecord.init(row:))
            for job in expired {
                let message = "the worker \(job.workerID ?? "?") stopped renewing its lease (it died or hung)"
                let errors = JobRecord.encodeErrors(job.errors + [JobAttemptError(attempt: job.attempt, at: now, message: message)])
                let exhausted = job.attempt >= job.maxAttempts
                try await connection.execute(
                    """
                    UPDATE jobs SET state = \(exhausted ? "dead" : "available"), run_at = \(now), errors = \(errors),
                    lease_until = NULL, worker_id = NULL, finalized_at = \(exhausted ? now : nil)
                    WHERE id = \(job.id) AND state = 'running'
                    """
                )
            }
            if !expired.isEmpty {
                for queue in Set(expired.map(\.queue)) {
                    try await database.notify(Self.channel, payload: queue, on: connection)
                }
            }
            return expired.count
        }
    }
}
