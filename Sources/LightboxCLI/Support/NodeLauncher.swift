import Logging
import Metrics
import Node
import Prometheus

/// The start-up every long-running command shares: settings, logging, metrics, then the node itself.
enum NodeLauncher {
    /// Sets up process-wide logging and metrics from the settings.
    static func bootstrap(_ settings: Settings) -> (logger: Logger, metrics: PrometheusCollectorRegistry) {
        LoggingSetup.bootstrap(format: settings.logFormat, level: settings.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let buildInfo = MetricNameDescriptor(
            namespace: "lightbox", metricName: "build", unitName: "info", helpText: "The running Lightbox version."
        )
        registry.makeGauge(descriptor: buildInfo, labels: [("version", LightboxVersion.current)]).set(Double(1))
        return (Logger(label: "lightbox"), registry)
    }

    /// Starts the node, logging to `logger`.
    static func start(_ settings: Settings, logger: Logger) async throws -> NodeRuntime {
        try await NodeRuntime.start(settings: settings, migrations: AllMigrations.list, logger: logger)
    }
}
