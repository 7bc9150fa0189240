import HTTPTypes
import Hummingbird
import Logging
import Persistence

/// `/healthz` (the process answers) and `/readyz` (it can do its work: database reachable, schema current).
struct HealthRoutes {
    let dependencies: ServerDependencies

    func register(on router: Router<LightboxRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse.make(.ok, #"{"status":"ok"}"#)
        }
        router.get("readyz") { _, context in
            try await readiness(logger: context.logger)
        }
    }

    private func readiness(logger: Logger) async throws -> Response {
        var database = "ok"
        var migrations = "ok"
        do {
            _ = try await dependencies.database.query("SELECT 1 AS one", logger: logger)
            if try await !dependencies.migrator.isUpToDate(dependencies.database, logger: logger) {
                migrations = "pending"
            }
        } catch {
            database = "unavailable"
            migrations = "unknown"
            logger.warning("readiness check failed", metadata: ["error": "\(error)"])
        }
        let ready = database == "ok" && migrations == "ok"
        return JSONResponse.make(
            ready ? .ok : .serviceUnavailable,
            #"{"status":"\#(ready ? "ready" : "not ready")","database":"\#(database)","migrations":"\#(migrations)"}"#
        )
    }
}
