import JobQueue
import Logging
import Marketplace
import Node

/// The job kinds this build's workers run, and the worker pool configured from the settings.
enum JobKinds {

    /// Runs the default queue's jobs and those that need this data directory's files (``UploadStore/disk``); with
    /// `onlyThisDisk`, only the latter — a `serve` that leaves the rest to `lightbox worker` processes still checks and
    /// encrypts the uploads it received.
    static func workerPool(_ runtime: NodeRuntime, logger: Logger, market: Marketplace? = nil, onlyThisDisk: Bool = false) -> JobWorkerPool {
        var configuration = JobWorkerPool.Configuration()
        let settings = runtime.settings
        configuration.queues = MarketplaceAssembly.queues(market, concurrency: settings.jobConcurrency, onlyThisDisk: onlyThisDisk)
        configuration.batchSize = min(100, settings.jobConcurrency)
        configuration.leaseDuration = settings.jobLeaseTimeout
        configuration.pollInterval = settings.jobPollInterval
        configuration.maintenanceInterval = min(.seconds(15), settings.jobLeaseTimeout)
        return JobWorkerPool(
            queue: JobQueue(database: runtime.database, logger: logger), registry: MarketplaceAssembly.jobs(market),
            configuration: configuration, logger: logger
        )
    }
}
