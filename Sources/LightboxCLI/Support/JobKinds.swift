import JobQueue
import Logging
import Marketplace
import Node

/// The job kinds this build's workers run, and the worker pool configured from the settings.
enum JobKinds {

    static func workerPool(_ runtime: NodeRuntime, logger: Logger, market: Marketplace? = nil) -> JobWorkerPool {
        var configuration = JobWorkerPool.Configuration()
        let settings = runtime.settings
        configuration.queues = ["default": settings.jobConcurrency]
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
