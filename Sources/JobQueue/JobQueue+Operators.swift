public import Foundation
import Persistence

/// What operators do with jobs: look, retry, cancel, count, prune.
extension JobQueue {
    /// One job, or `nil`.
    public func job(_ id: Int64) async throws -> JobRecord? {
        try await database.query("SELECT * FROM jobs WHERE id = \(id)", logger: logger).first.map(JobRecord.init(row:))
    }

    /// Jobs newest first, filtered, after the cursor `beforeID` when given.
    public func list(
        state: JobState? = nil, kind: String? = nil, queue: String? = nil, beforeID: Int64? = nil, limit: Int = 50
    ) async throws -> [JobRecord] {
        var conditions: [SQLQuery] = ["1 = 1"]
        if let state { conditions.append("state = \(state.rawValue)") }
        if let kind { conditions.append("kind = \(kind)") }
        if let queue { conditions.append("queue = \(queue)") }
        if let beforeID { conditions.append("id < \(beforeID)") }
        let rows = try await database.query(
            "SELECT * FROM jobs WHERE \(SQLQuery.joined(conditions, separator: " AND ")) ORDER BY id DESC LIMIT \(max(1, min(limit, 1000)))",
            logger: logger
        )
        return try rows.map(JobRecord.init(row:))
    }

    /// Makes a dead or cancelled job available again with one more attempt, or runs a waiting job now.
    /// - Throws: ``JobQueueError`` `notFound`, or `invalidState` for running and completed jobs.
    @discardableResult
    public func retry(_ id: Int64) async throws -> JobRecord {
        try await database.withTransaction(logger: logger) { connection in
            let job = try await Self.lockedJob(id, on: connection)
            switch job.state {
            case .dead, .cancelled, .available:
                try await connection.execute(
                    """
                    UPDATE jobs SET state = 'available', run_at = \(Date()), finalized_at = NULL, cancel_requested = 0,
                    max_attempts = \(max(job.maxAttempts, job.attempt + 1)) WHERE id = \(id)
                    """
                )
                try await database.notify(Self.channel, payload: job.queue, on: connection)
            case .running, .completed:
                throw JobQueueError(.invalidState, "job \(id) is \(job.state.rawValue); only dead, cancelled or waiting jobs can be retried")
            }
            return try await Self.lockedJob(id, on: connection)
        }
    }

    /// Cancels a job: a waiting job at once; a running job is asked to stop and ends cancelled unless it finishes
    /// first.
    /// - Throws: ``JobQueueError`` `notFound`, or `invalidState` for jobs already completed, dead or cancelled.
    @discardableResult
    public func cancel(_ id: Int64) async throws -> JobRecord {
        try await database.withTransaction(logger: logger) { connection in
            let job = try await Self.lockedJob(id, on: connection)
            switch job.state {
            case .available:
                try await connection.execute(
                    "UPDATE jobs SET state = 'cancelled', finalized_at = \(Date()) WHERE id = \(id)"
                )
            case .running:
                try await connection.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = \(id)")
            case .completed, .dead, .cancelled:
                throw JobQueueError(.invalidState, "job \(id) is already \(job.state.rawValue); there is nothing to cancel")
            }
            return try await Self.lockedJob(id, on: connection)
        }
    }

    /// Counts of jobs per queue and state.
    public func stats() async throws -> JobStats {
        let rows = try await database.query(
            "SELECT queue, state, COUNT(*) AS n FROM jobs GROUP BY queue, state ORDER BY queue, state", logger: logger
        )
        var counts: [String: [JobState: Int]] = [:]
        for row in rows {
            guard let state = JobState(rawValue: try row.decode("state")) else { continue }
            counts[try row.decode("queue"), default: [:]][state] = try row.decode("n")
        }
        return JobStats(counts: counts)
    }

    /// Deletes completed jobs finished before `completedBefore` and cancelled ones before `cancelledBefore`.
    /// Dead jobs are never deleted here: they wait for an operator.
    /// - Returns: How many jobs were deleted.
    @discardableResult
    public func prune(completedBefore: Date, cancelledBefore: Date) async throws -> Int {
        try await database.execute(
            """
            DELETE FROM jobs WHERE (state = 'completed' AND finalized_at < \(completedBefore))
            OR (state = 'cancelled' AND finalized_at < \(cancelledBefore))
            """,
            logger: logger
        )
    }

    static func lockedJob(_ id: Int64, on connection: any DatabaseConnection) async throws -> JobRecord {
        guard let row = try await connection.query("SELECT * FROM jobs WHERE id = \(id)\(unsafeRaw: connection.dialect.rowLock)").first else {
            throw JobQueueError(.notFound, "no job \(id); list jobs with `lightbox jobs list`")
        }
        return try JobRecord(row: row)
    }
}

/// Job counts per queue and state. Encodes as `{"total": {state: n}, "queues": {queue: {state: n}}}`, every state
/// present: the JSON of `lightbox jobs stats --json` and `GET /admin/jobs/stats`.
public struct JobStats: Sendable, Equatable, Encodable {
    /// Counts by queue, then state; states with no jobs are absent.
    public let counts: [String: [JobState: Int]]

    /// Counts by queue name and state name, every state present: the JSON shape of `jobs stats` and the admin API.
    public var countsByName: [String: [String: Int]] {
        counts.mapValues { states in Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, states[$0] ?? 0) }) }
    }

    /// Totals by state name, every state present.
    public var totalsByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: totals.map { ($0.key.rawValue, $0.value) })
    }

    /// Counts per state over all queues, every state present.
    public var totals: [JobState: Int] {
        var totals = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for states in counts.values { for (state, n) in states { totals[state, default: 0] += n } }
        return totals
    }

    private enum CodingKeys: String, CodingKey { case total, queues }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(totalsByName, forKey: .total)
        try container.encode(countsByName, forKey: .queues)
    }
}
