import Foundation
import Persistence
public import Logging
public import ServiceLifecycle
import Synchronization

/// Runs jobs: claims them in batches, runs each in its own task, renews their leases, records how they end.
///
/// - Each queue has its own concurrency limit and its own claim loop.
/// - An idle loop sleeps until the database's notification channel says a job arrived (LISTEN/NOTIFY on
///   PostgreSQL, an in-process signal on SQLite), or a job finishes, or the poll interval passes (which catches
///   scheduled jobs and retries coming due).
/// - A heartbeat renews the leases of running jobs; jobs whose lease lapsed (their worker died) are rescued.
/// - On graceful shutdown it stops claiming and lets running jobs finish.
public final class JobWorkerPool: Service {
    /// Tuning; the defaults suit a small node.
    public struct Configuration: Sendable {
        /// Concurrency per queue.
        public var queues: [String: Int] = ["default": 10]
        /// The most jobs one claim takes.
        public var batchSize = 100
        /// How long a claimed job is leased; renewed every third of it.
        public var leaseDuration: Duration = .seconds(30)
        /// The longest an idle loop sleeps without a wake-up.
        public var pollInterval: Duration = .seconds(1)
        /// How often leases are rescued, old jobs pruned and depth gauges refreshed.
        public var maintenanceInterval: Duration = .seconds(15)
        /// How long completed jobs are kept.
        public var completedRetention: Duration = .seconds(24 * 3600)
        /// How long cancelled jobs are kept.
        public var cancelledRetention: Duration = .seconds(7 * 24 * 3600)

        public init() {}
    }

    /// This worker's id, stored on the jobs it holds.
    public let workerID: String
    let queue: JobQueue
    let registry: JobRegistry
    let configuration: Configuration
    let logger: Logger
    let inFlight = InFlightJobs()
    let metrics = JobMetrics()
    private let stopping = Atomic<Bool>(false)

    public init(queue: JobQueue, registry: JobRegistry, configuration: Configuration = .init(), logger: Logger) {
        self.workerID = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
        self.queue = queue
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    public func run() async throws {
        let processors = configuration.queues.sorted { $0.key < $1.key }.compactMap { name, concurrency -> QueueProcessor? in
            let kinds = registry.kinds(onQueue: name)
            guard !kinds.isEmpty, concurrency > 0 else { return nil }
            return QueueProcessor(pool: self, queueName: name, kinds: kinds, concurrency: concurrency)
        }
        logger.info(
            "job workers started",
            metadata: ["worker.id": "\(workerID)", "queues": "\(processors.map { "\($0.queueName)×\($0.concurrency)" })"]
        )
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for processor in processors { group.addTask { await processor.run() } }
                group.addTask { await self.relayNotifications(to: processors) }
                group.addTask { await self.heartbeatAndMaintenance() }
                for _ in processors { await group.next() }
                // Every claim loop has drained; the helpers run until cancelled.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            for processor in processors { processor.wake.signal() }
        }
        logger.info("job workers stopped", metadata: ["worker.id": "\(workerID)"])
    }

    private func relayNotifications(to processors: [QueueProcessor]) async {
        let byQueue = Dictionary(uniqueKeysWithValues: processors.map { ($0.queueName, $0) })
        for await queueName in queue.database.notifications(JobQueue.channel, logger: logger) {
            if Task.isCancelled { break }
            if let processor = byQueue[queueName] {
                processor.wake.signal()
            } else if queueName.isEmpty {
                // The listener reconnected: notifications may have been missed.
                for processor in processors { processor.wake.signal() }
            }
        }
    }

    private func heartbeatAndMaintenance() async {
        let beat = configuration.leaseDuration / 3
        var sinceMaintenance = configuration.maintenanceInterval  // run maintenance at once on start
        while !Task.isCancelled {
            let ids = inFlight.ids
            do {
                let cancelled = try await queue.heartbeat(ids, workerID: workerID, leaseUntil: Date() + configuration.leaseDuration.seconds)
                inFlight.cancel(cancelled)
            } catch {
                logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
            }
            if sinceMaintenance >= configuration.maintenanceInterval {
                sinceMaintenance = .zero
                await maintain()
            }
            try? await Task.sleep(for: min(beat, configuration.maintenanceInterval))
            sinceMaintenance += min(beat, configuration.maintenanceInterval)
        }
    }

    private func maintain() async {
        do {
            let rescued = try await queue.rescueExpiredLeases(sparing: (workerID, inFlight.ids))
            if rescued > 0 { logger.warning("rescued jobs whose worker stopped", metadata: ["jobs": "\(rescued)"]) }
            let now = Date()
            try await queue.prune(
                completedBefore: now - configuration.completedRetention.seconds,
                cancelledBefore: now - configuration.cancelledRetention.seconds
            )
            metrics.depth(try await queue.stats())
        } catch {
            logger.warning("queue maintenance failed", metadata: ["error": "\(error)"])
        }
    }
}
