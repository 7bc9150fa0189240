public import Foundation
import Persistence

/// Where a job is in its life.
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Waiting to run (now, or at `runAt`); includes jobs waiting for a retry.
    case available
    /// Claimed by a worker that holds its lease.
    case running
    /// Finished successfully.
    case completed
    /// Failed its last attempt, or can never succeed; kept with its error history until an operator acts.
    case dead
    /// Cancelled by an operator.
    case cancelled

    /// States from which the job will not run again by itself.
    public var isFinal: Bool { self == .completed || self == .dead || self == .cancelled }
}

/// One failed attempt, as kept in a job's error history.
public struct JobAttemptError: Sendable, Codable, Equatable {
    public let attempt: Int
    public let at: Date
    public let message: String
}

/// A job as stored. It encodes as JSON with the payload as JSON text, for `lightbox jobs … --json` and the admin API.
public struct JobRecord: Sendable, Encodable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let state: JobState
    public let priority: Int
    public let payload: [UInt8]
    public let attempt: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let createdAt: Date
    public let attemptedAt: Date?
    public let finalizedAt: Date?
    public let leaseUntil: Date?
    public let workerID: String?
    public let uniqueKey: String?
    public let errors: [JobAttemptError]
    public let cancelRequested: Bool

    /// The payload as text (it is JSON).
    public var payloadText: String { String(decoding: payload, as: UTF8.self) }

    init(row: SQLRow) throws {
        id = try row.decode("id")
        kind = try row.decode("kind")
        queue = try row.decode("queue")
        let stateName: String = try row.decode("state")
        guard let state = JobState(rawValue: stateName) else {
            throw DatabaseError(.decodingFailed, "job \(id) has unknown state \"\(stateName)\"")
        }
        self.state = state
        priority = try row.decode("priority")
        payload = try row.decode("payload")
        attempt = try row.decode("attempt")
        maxAttempts = try row.decode("max_attempts")
        runAt = try row.decode("run_at")
        createdAt = try row.decode("created_at")
        attemptedAt = try row.decode("attempted_at")
        finalizedAt = try row.decode("finalized_at")
        leaseUntil = try row.decode("lease_until")
        workerID = try row.decode("worker_id")
        uniqueKey = try row.decode("unique_key")
        errors = JobRecord.decodeErrors(try row.decode("errors", as: String.self))
        cancelRequested = try row.decode("cancel_requested")
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, queue, state, priority, payload, attempt, maxAttempts, runAt, createdAt, attemptedAt
        case finalizedAt, leaseUntil, workerID, uniqueKey, errors, cancelRequested
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(queue, forKey: .queue)
        try container.encode(state, forKey: .state)
        try container.encode(priority, forKey: .priority)
        try container.encode(payloadText, forKey: .payload)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(runAt, forKey: .runAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(attemptedAt, forKey: .attemptedAt)
        try container.encodeIfPresent(finalizedAt, forKey: .finalizedAt)
        try container.encodeIfPresent(leaseUntil, forKey: .leaseUntil)
        try container.encodeIfPresent(workerID, forKey: .workerID)
        try container.encodeIfPresent(uniqueKey, forKey: .uniqueKey)
        try container.encode(errors, forKey: .errors)
        try container.encode(cancelRequested, forKey: .cancelRequested)
    }

    static func decodeErrors(_ text: String) -> [JobAttemptError] {
        (try? JobRecord.decoder.decode([JobAttemptError].self, from: Data(text.utf8))) ?? []
    }

    static func encodeErrors(_ errors: [JobAttemptError]) -> String {
        String(decoding: (try? JobRecord.encoder.encode(errors)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// Error times keep milliseconds: retries can come well within a second of each other.
    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? timeFormat.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
            }
            return date
        }
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timeFormat))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
