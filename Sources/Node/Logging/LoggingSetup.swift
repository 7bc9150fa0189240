public import Logging

/// Installs the process-wide log handler once, from the settings.
public enum LoggingSetup {
    /// Bootstraps swift-log with plain or JSON lines on standard error at `level`.
    /// Call once, first thing in `main`; later calls are ignored by swift-log's own guard.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .plain: StreamLogHandler.standardError(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }
}
