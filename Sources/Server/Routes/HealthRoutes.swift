import HTTPTypes
import Hummingbird
import Ledger
import Logging
import Marketplace
import Persistence

/// `/healthz` (the process answers) and `/readyz` (it can do its work: database reachable, schema current, the
/// marketplace on when it should be), which also says which kind of ledger the node runs.
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
        let ledger = dependencies.marketplace.map { $0.ledger.parameters.devMode ? "development" : "production" }
        let ready = database == "ok" && migrations == "ok" && dependencies.marketplaceOff == nil
        var body = [("status", ready ? "ready" : "not ready"), ("database", database), ("migrations", migrations)]
        if let reason = dependencies.marketplaceOff {
            body += [("ledger", "off"), ("marketplace", reason)]
        } else if let ledger {
            body.append(("ledger", ledger))
        }
        return JSONResponse.make(ready ? .ok : .serviceUnavailable, JSONResponse.object(body))
    }
}
