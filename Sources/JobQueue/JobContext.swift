public import Logging
public import Persistence

/// What a handler knows about the job it runs, and the means to write its effects.
public struct JobContext: Sendable {
    /// The job's id.
    public let jobID: Int64
    /// Which attempt this is, from 1.
    public let attempt: Int
    /// The job's kind.
    public let kind: String
    /// The id of the worker running it.
    public let workerID: String
    /// The queue, to enqueue follow-up jobs in the same transaction as the effects.
    public let queue: JobQueue
    /// Logs with `job.id` and `job.kind` attached.
    public let logger: Logger

    /// Builds a context; workers do this for every attempt, and tests to call a handler directly.
    public init(jobID: Int64, attempt: Int, kind: String, workerID: String, queue: JobQueue, logger: Logger) {
        self.jobID = jobID
        self.attempt = attempt
        self.kind = kind
        self.workerID = workerID
        self.queue = queue
        self.logger = logger
    }

    /// The database the queue lives in.
    public var database: any Database { queue.database }
}
