public import Foundation

/// A kind of job: its name, its payload type, its retry policy, and the handler that does the work.
///
/// **Handlers must be idempotent.** Delivery is at-least-once: a job whose worker dies after the work but before
/// the job is marked completed runs again. Write effects so that a second run changes nothing (upserts keyed by
/// the job's subject, checks before external calls). `JobIdempotency` in `JobQueueTesting` checks a handler by
/// running it twice.
///
/// ```swift
/// struct SendReceipt: JobKind {
///     struct Payload: Codable, Sendable { let purchaseID: Int64 }
///     static let name = "receipts.send"
///     func run(_ payload: Payload, context: JobContext) async throws { … }
/// }
/// ```
public protocol JobKind: Sendable {
    /// What the job carries; stored as JSON.
    associatedtype Payload: Codable & Sendable

    /// The stable name stored with each job, e.g. `storage.prepare`. Never rename a kind with jobs in flight.
    static var name: String { get }
    /// The queue its jobs go to unless an enqueue says otherwise.
    static var queue: String { get }
    /// How many times a job is tried before it is kept as dead.
    static var maxAttempts: Int { get }
    /// How long to wait before each retry.
    static var backoff: Backoff { get }

    /// Does the work. Throwing schedules a retry (or, after the last attempt, keeps the job as dead).
    func run(_ payload: Payload, context: JobContext) async throws
}

extension JobKind {
    public static var queue: String { "default" }
    public static var maxAttempts: Int { 10 }
    public static var backoff: Backoff { .exponential() }
}

/// Per-enqueue choices that override a kind's defaults.
public struct JobOptions: Sendable {
    /// Lower runs first; default 0. Ties go to the earliest `runAt`, then the oldest job.
    public var priority: Int
    /// Not before this time; `nil` means now.
    public var runAt: Date?
    /// At most one job of this kind with this key is waiting, running or completed; enqueueing a duplicate
    /// returns the existing job.
    public var uniqueKey: String?
    /// Overrides the kind's queue.
    public var queue: String?
    /// Overrides the kind's attempt limit.
    public var maxAttempts: Int?

    public init(
        priority: Int = 0, runAt: Date? = nil, uniqueKey: String? = nil, queue: String? = nil,
        maxAttempts: Int? = nil
    ) {
        self.priority = priority
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.queue = queue
        self.maxAttempts = maxAttempts
    }
}
