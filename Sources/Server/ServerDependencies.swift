public import Logging
public import Persistence
public import Prometheus

/// What the HTTP layer needs from the running node.
public struct ServerDependencies: Sendable {
    /// The node's database, checked by `/readyz`.
    public let database: any Database
    /// The migrations this build expects, checked by `/readyz`.
    public let migrator: Migrator
    /// Where every metric is registered; `/metrics` renders it.
    public let metrics: PrometheusCollectorRegistry
    /// The request log.
    public let logger: Logger

    public init(database: any Database, migrator: Migrator, metrics: PrometheusCollectorRegistry, logger: Logger) {
        self.database = database
        self.migrator = migrator
        self.metrics = metrics
        self.logger = logger
    }
}
