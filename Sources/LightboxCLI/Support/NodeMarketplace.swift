import Logging
import Marketplace
import Node
import Storage
import Vision

/// The marketplace of a node started from its settings, as `serve` and `worker` run it: its ledger opened (or, on
/// the first start, created) by ``LedgerSetup``, everything else from the settings.
enum NodeMarketplace {
    /// Stops the runtime (marking the process stopped) before a failure is thrown.
    static func assemble(_ runtime: NodeRuntime, logger: Logger) async throws -> Marketplace {
        do {
            return try await assembleUnguarded(runtime, logger: logger)
        } catch {
            await runtime.stop()
            throw error
        }
    }

    private static func assembleUnguarded(_ runtime: NodeRuntime, logger: Logger) async throws -> Marketplace {
        let settings = runtime.settings
        var assembly = MarketplaceAssembly(database: runtime.database, identity: runtime.identity, dataDirectory: runtime.dataDirectory)
        assembly.storage = try StorageSetup.configuration(settings)
        assembly.limits = UploadLimits(settings)
        assembly.challengesPerAddress = settings.challengesPerAddress
        assembly.decoding = DecodingBudget(memoryBytes: settings.visionMemoryLimit)
        assembly.domain = settings.httpHost
        assembly.uri = "http://\(settings.httpHost):\(settings.httpPort)"
        let ledger = try await LedgerSetup.open(runtime, logger: logger, create: true)
        return try await assembly.marketplace(ledger: ledger, logger: logger)
    }
}
