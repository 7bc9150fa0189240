import ArgumentParser
import Foundation
import JobQueue
import Node

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect and operate the job queue.",
        subcommands: [
            ListCommand.self, ShowCommand.self, RetryCommand.self, CancelCommand.self, StatsCommand.self,
            EnqueueCommand.self,
        ]
    )

    /// Opens the node's queue for one command and closes it afterwards.
    static func withQueue<T>(_ options: SettingsOptions, _ body: (JobQueue) async throws -> T) async throws -> T {
        let (runtime, logger) = try await NodeLauncher.startQuietly(options)
        do {
            let result = try await body(JobQueue(database: runtime.database, logger: logger))
            await runtime.stop()
            return result
        } catch {
            await runtime.stop()
            throw error
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        print(String(decoding: try JSONText.encoder(pretty: true).encode(value), as: UTF8.self))
    }

    struct ListCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "available, running, completed, dead or cancelled.") var state: String?
        @Option(help: "Only this kind.") var kind: String?
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "Only jobs older than this id (the cursor of the previous page).") var before: Int64?
        @Option(help: "At most this many (1–1000).") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let state = try self.state.map { name in
                    guard let state = JobState(rawValue: name) else {
                        throw ValidationError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return state
                }
                let jobs = try await JobsCommand.withQueue(settingsOptions) {
                    try await $0.list(state: state, kind: kind, queue: queue, beforeID: before, limit: limit)
                }
                if json { return try JobsCommand.printJSON(jobs) }
                for job in jobs {
                    print("\(job.id)\t\(job.state.rawValue)\t\(job.kind)\t\(job.queue)\tattempt \(job.attempt)/\(job.maxAttempts)\t\(job.runAt.formatted(.iso8601))")
                }
            }
        }
    }

    struct ShowCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job with its error history.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Argument(help: "The job's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                guard let job = try await JobsCommand.withQueue(settingsOptions, { try await $0.job(id) }) else {
                    throw JobQueueError(.notFound, "no job \(id); list jobs with `lightbox jobs list`")
                }
                if json { return try JobsCommand.printJSON(job) }
                print("""
                    job          \(job.id)
                    kind         \(job.kind) (queue \(job.queue), priority \(job.priority))
                    state        \(job.state.rawValue)\(job.cancelRequested ? " (cancel requested)" : "")
                    attempts     \(job.attempt) of \(job.maxAttempts)
                    run at       \(job.runAt.formatted(.iso8601))
                    created      \(job.createdAt.formatted(.iso8601))
                    unique key   \(job.uniqueKey ?? "-")
                    worker       \(job.workerID ?? "-")
                    payload      \(job.payloadText)
                    """)
                for error in job.errors {
                    print("error        attempt \(error.attempt) at \(error.at.formatted(.iso8601)): \(error.message)")
                }
            }
        }
    }

    struct RetryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry", abstract: "Run a dead, cancelled or waiting job again now, with one more attempt."
        )
        @OptionGroup var settingsOptions: SettingsOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await CommandFailure.guarding {
                let job = try await JobsCommand.withQueue(settingsOptions) { try await $0.retry(id) }
                print("job \(job.id) is \(job.state.rawValue) (attempt \(job.attempt) of \(job.maxAttempts))")
            }
        }
    }

    struct CancelCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a waiting job, or ask a running one to stop."
        )
        @OptionGroup var settingsOptions: SettingsOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await CommandFailure.guarding {
                let job = try await JobsCommand.withQueue(settingsOptions) { try await $0.cancel(id) }
                print(job.state == .running ? "job \(job.id) is running; asked it to stop" : "job \(job.id) is \(job.state.rawValue)")
            }
        }
    }

    struct StatsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count jobs per queue and state.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Flag(help: "Print JSON: {\"total\": {state: n}, \"queues\": {queue: {state: n}}}.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let stats = try await JobsCommand.withQueue(settingsOptions) { try await $0.stats() }
                if json {
                    return try JobsCommand.printJSON(stats)
                }
                print("queue".padding(toLength: 12, withPad: " ", startingAt: 0) + JobState.allCases.map { $0.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
                for (queue, states) in stats.counts.sorted(by: { $0.key < $1.key }) {
                    print(queue.padding(toLength: 12, withPad: " ", startingAt: 0) + JobState.allCases.map { String(states[$0] ?? 0).padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
                }
            }
        }
    }

    struct EnqueueCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enqueue", abstract: "Enqueue diagnostic jobs.", subcommands: [NoopCommand.self]
        )

        struct NoopCommand: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "noop", abstract: "Enqueue no-op jobs (for diagnostics and benchmarks)."
            )
            @OptionGroup var settingsOptions: SettingsOptions
            @Option(help: "How many.") var count = 1
            @Option(help: "Each job sleeps this long.") var sleepMs: Int?
            @Option(help: "Each job fails this many first attempts.") var failAttempts: Int?
            @Option(help: "Attempts before a job is kept as dead.") var maxAttempts: Int?
            @Option(help: "Lower runs first.") var priority = 0
            @Option(help: "Run no earlier than this many seconds from now.") var delaySeconds: Double?
            @Option(help: "Unique key (with --count 1).") var uniqueKey: String?
            @Flag(help: "Record every attempt in job_noop_runs.") var record = false

            func run() async throws {
                try await CommandFailure.guarding {
                    guard count >= 1 else { throw ValidationError("--count must be at least 1") }
                    guard uniqueKey == nil || count == 1 else { throw ValidationError("--unique-key needs --count 1") }
                    let payload = NoopJob.Payload(sleepMilliseconds: sleepMs, failAttempts: failAttempts, record: record ? true : nil)
                    let options = JobOptions(
                        priority: priority, runAt: delaySeconds.map { Date() + $0 }, uniqueKey: uniqueKey,
                        maxAttempts: maxAttempts
                    )
                    let results = try await JobsCommand.withQueue(settingsOptions) { queue in
                        var results: [JobQueue.Enqueued] = []
                        var left = count
                        while left > 0 {
                            let batch = min(left, 5_000)
                            results += try await queue.enqueueBatch(NoopJob.self, Array(repeating: (payload, options), count: batch))
                            left -= batch
                        }
                        return results
                    }
                    if results.count == 1 {
                        print("job \(results[0].id)\(results[0].isDuplicate ? " (already enqueued with that unique key)" : "")")
                    } else {
                        print("enqueued \(results.count) jobs: \(results.first!.id)…\(results.last!.id)")
                    }
                }
            }
        }
    }
}
