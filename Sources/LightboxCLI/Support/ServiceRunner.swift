import Logging
import Node
import Persistence
import ServiceLifecycle
import UnixSignals

/// Runs services in one group with graceful shutdown on SIGTERM and SIGINT.
enum ServiceRunner {
    static func run(_ services: [any Service], settings: Settings, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = settings.shutdownTimeout
        // Cancelled work may be waiting on a database statement, which gives up after its own time-out.
        configuration.maximumCancellationDuration = PostgresDatabase.statementTimeout + .seconds(5)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as ServiceGroupError {
            logger.debug("service group ended", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
