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
            registers itself in node_processes, sends a heartbeat, and marks itself stopped when it exits.
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let (logger, _) = NodeLauncher.bootstrap(settings)
            let runtime = try await NodeLauncher.start(settings, logger: logger)
            let presence = PresenceService(role: "worker", database: runtime.database, logger: logger)
            logger.info("worker ready", metadata: ["process.id": "\(presence.processID)"])
            try await ServiceRunner.run([presence], settings: settings, logger: logger)
            await runtime.stop()
            logger.info("stopped")
        }
    }
}
