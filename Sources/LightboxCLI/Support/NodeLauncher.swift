import Foundation
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

    /// Starts the node for a one-shot command: start-up chatter is logged only when a log level is asked for.
    static func startQuietly(_ options: SettingsOptions) async throws -> (NodeRuntime, Logger) {
        let quiet = options.logLevel == nil && ProcessInfo.processInfo.environment["LIGHTBOX_LOG_LEVEL"] == nil
        let settings = try options.load(extra: quiet ? ["log.level": ("warning", "default for one-shot commands")] : [:])
        let (logger, _) = bootstrap(settings)
        return (try await start(settings, logger: logger), logger)
    }

    /// Starts the node, logging to `logger`.
    static func start(_ settings: Settings, logger: Logger) async throws -> NodeRuntime {
        try await NodeRuntime.start(settings: settings, migrations: AllMigrations.list, logger: logger)
    }
}
