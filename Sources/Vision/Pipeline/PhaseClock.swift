import Dispatch
import Logging

/// Logs each phase of a long piece of work with how long it took, at debug level.
struct PhaseClock {
    let logger: Logger?
    private var started = DispatchTime.now().uptimeNanoseconds

    init(logger: Logger?) {
        self.logger = logger
    }

    /// Logs the phase that just ended, with `metadata`, and starts timing the next.
    mutating func done(_ phase: String, _ metadata: [String: String] = [:]) {
        let now = DispatchTime.now().uptimeNanoseconds
        if let logger {
            var fields: Logger.Metadata = ["phase": "\(phase)", "milliseconds": "\((now - started) / 1_000_000)"]
            for (key, value) in metadata { fields[key] = "\(value)" }
            logger.debug("dataset check phase", metadata: fields)
        }
        started = now
    }
}
