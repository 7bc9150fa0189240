import ArgumentParser
import Logging
import Node
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background workers alone, for scale-out beside `lightbox serve`, until SIGTERM or SIGINT.",
        discussion: """
            Workers share the database given by --database (PostgreSQL in a scale-out deployment). The process \
            runs every job kind (the quality checks, storage, minting, deliveries and releases), registers itself in \
            node_processes, claims jobs in batches, renews their leases, and on SIGTERM or \
            SIGINT stops claiming, lets running jobs finish, and marks itself stopped.
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let (logger, _) = NodeLauncher.bootstrap(settings)
            let runtime = try await NodeLauncher.start(settings, logger: logger)
            let presence = PresenceService(role: "worker", database: runtime.database, logger: logger)
            let market = try await NodeMarketplace.assemble(runtime, logger: logger)
            let workers = JobKinds.workerPool(runtime, logger: logger, market: market)
            try await ServiceRunner.run([presence, workers], settings: settings, logger: logger)
            await runtime.stop()
            logger.info("stopped")
        }
    }
}
