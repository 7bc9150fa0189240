import Foundation
public import Logging
public import Persistence

/// The durable job queue, kept in Lightbox's database (SQLite or PostgreSQL) behind one API.
///
/// A job is enqueued in the same transaction as the state change that causes it, so work is never lost and never
/// phantom:
/// ```swift
/// try await database.withTransaction(logger: logger) { connection in
///     try await connection.execute("UPDATE listings SET state = 'checking' WHERE id = \(id)")
///     try await queue.enqueue(VisionCheck.self, .init(listingID: id), on: connection)
/// }
/// ```
public struct JobQueue: Sendable {
    /// The notification channel that wakes idle workers; the payload is the queue's name.
    public static let channel = "lightbox_jobs"

    /// The database the jobs live in.
    public let database: any Database
    let logger: Logger

    public init(database: any Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// What an enqueue did.
    public struct Enqueued: Sendable, Equatable {
        /// The job's id (the existing job's, for a duplicate).
        public let id: Int64
        /// True when a job with the same unique key already existed and no new job was made.
        public let isDuplicate: Bool
    }

    // MARK: Enqueue

    /// Enqueues one job, in `connection`'s transaction when given, else in a transaction of its own.
    @discardableResult
    public func enqueue<Kind: JobKind>(
        _ kind: Kind.Type, _ payload: Kind.Payload, options: JobOptions = .init(),
        on connection: (any DatabaseConnection)? = nil
    ) async throws -> Enqueued {
        try await enqueueBatch(kind, [(payload, options)], on: connection)[0]
    }

    /// Enqueues many jobs of one kind in few statements; results come back in input order.
    @discardableResult
    public func enqueueBatch<Kind: JobKind>(
        _ kind: Kind.Type, _ jobs: [(payload: Kind.Payload, options: JobOptions)],
        on connection: (any DatabaseConnection)? = nil
    ) async throws -> [Enqueued] {
        guard !jobs.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let now = Date()
        var rows: [NewJob] = []
        rows.reserveCapacity(jobs.count)
        for (payload, options) in jobs {
            let maxAttempts = options.maxAttempts ?? Kind.maxAttempts
            guard maxAttempts >= 1 else {
                throw JobQueueError(.invalidOptions, "maxAttempts must be at least 1, got \(maxAttempts)")
            }
            rows.append(
                NewJob(
                    kind: Kind.name, queue: options.queue ?? Kind.queue, priority: options.priority,
                    payload: [UInt8](try encoder.encode(payload)), maxAttempts: maxAttempts,
                    runAt: max(options.runAt ?? now, now), createdAt: now, uniqueKey: options.uniqueKey
                )
            )
        }
        if let connection { return try await insert(rows, on: connection) }
        return try await database.withTransaction(logger: logger) { try await insert(rows, on: $0) }
    }

    struct NewJob {
        let kind: String
        let queue: String
        let priority: Int
        let payload: [UInt8]
        let maxAttempts: Int
        let runAt: Date
        let createdAt: Date
        let uniqueKey: String?
    }

    /// Rows per INSERT: 9 parameters a row stays far below both backends' parameter limits.
    static let rowsPerStatement = 500

    private func insert(_ jobs: [NewJob], on connection: any DatabaseConnection) async throws -> [Enqueued] {
        var results: [Enqueued] = []
        results.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let chunk = Array(jobs[start..<min(jobs.count, start + Self.rowsPerStatement)])
            results += try await insertChunk(chunk, on: connection)
            start += chunk.count
        }
        for queue in Set(jobs.map(\.queue)) {
            try await database.notify(Self.channel, payload: queue, on: connection)
        }
        return results
    }

    private func insertChunk(_ jobs: [NewJob], on connection: any DatabaseConnection) async throws -> [Enqueued] {
        let values = SQLQuery.joined(
            jobs.map { job in
                "(\(job.kind), \(job.queue), 'available', \(job.priority), \(job.payload), \(job.maxAttempts), \(job.runAt), \(job.createdAt), \(job.uniqueKey))"
            },
            separator: ", "
        )
        let inserted = try await connection.query(
            """
            INSERT INTO jobs (kind, queue, state, priority, payload, max_attempts, run_at, created_at, unique_key)
            VALUES \(values)
            ON CONFLICT (kind, unique_key) WHERE \(unsafeRaw: JobQueueMigrations.uniqueWhere) DO NOTHING
            RETURNING id, unique_key
            """
        )
        // Ids grow in VALUES order on both backends, so sorted ids line up with the rows that were inserted.
        var insertedIDs = try inserted.map { try $0.decode("id", as: Int64.self) }.sorted()[...]
        let insertedKeys = Set(try inserted.compactMap { try $0.decode("unique_key", as: String?.self) })
        var idByKey: [String: Int64] = [:]
        var missingKeys: [String] = []
        var results: [Enqueued?] = []
        var seenKeys = Set<String>()
        for job in jobs {
            if let key = job.uniqueKey {
                if insertedKeys.contains(key) && !seenKeys.contains(key) {
                    let id = insertedIDs.removeFirst()
                    idByKey[key] = id
                    results.append(Enqueued(id: id, isDuplicate: false))
                } else {
                    if !insertedKeys.contains(key) { missingKeys.append(key) }
                    results.append(nil)
                }
                seenKeys.insert(key)
            } else {
                results.append(Enqueued(id: insertedIDs.removeFirst(), isDuplicate: false))
            }
        }
        if !missingKeys.isEmpty {
            let existing = try await connection.query(
                """
                SELECT id, unique_key FROM jobs
                WHERE kind = \(jobs[0].kind) AND unique_key IN (\(list: Array(Set(missingKeys))))
                AND \(unsafeRaw: JobQueueMigrations.uniqueWhere)
                """
            )
            for row in existing { idByKey[try row.decode("unique_key")] = try row.decode("id") }
        }
        return try zip(jobs, results).map { job, result in
            if let result { return result }
            guard let key = job.uniqueKey, let id = idByKey[key] else {
                throw JobQueueError(.invalidState, "a duplicate of unique key \(job.uniqueKey ?? "") vanished while enqueueing")
            }
            return Enqueued(id: id, isDuplicate: true)
        }
    }
}
