import Ledger
import LightboxCrypto
import Logging
import Node

/// The node's embedded ledger: its parameters from the settings, its checkpoints signed with the node's key.
enum LedgerSetup {
    /// The parameters a new ledger is created with; nil when `ledger.governance` is not set (an existing ledger
    /// can still be opened).
    static func parameters(_ runtime: NodeRuntime) throws -> LedgerParameters? {
        let settings = runtime.settings
        guard let governance = settings.ledgerGovernance else { return nil }
        guard let address = try? EthereumAddress(governance) else {
            throw CommandError("ledger.governance '\(governance.prefix(60))' is not an account address (0x and 40 hex digits)")
        }
        return try LedgerParameters(
            ledgerID: settings.ledgerID, chainID: settings.ledgerChainID, governance: address, devMode: settings.ledgerDevMode,
            qaKeys: [runtime.identity.publicKey])
    }

    static func signer(_ runtime: NodeRuntime) throws -> SignedNote.Signer {
        try SignedNote.Signer(name: "lightbox.ledger/\(runtime.settings.ledgerID)", key: runtime.identity.signingKey)
    }

    static func open(_ runtime: NodeRuntime, logger: Logger) async throws -> EmbeddedLedger {
        do {
            return try await EmbeddedLedger.open(
                database: runtime.database, parameters: try parameters(runtime), signer: try signer(runtime), logger: logger)
        } catch let error as LedgerError where error.code == .notInitialised && runtime.settings.ledgerGovernance == nil {
            throw CommandError("\(error.message); set ledger.governance (an account address, e.g. from `lightbox keys new`) to create it")
        }
    }

    /// Runs `body` with the node started quietly and its ledger open.
    static func with(_ options: SettingsOptions, _ body: (EmbeddedLedger, NodeRuntime, Logger) async throws -> Void) async throws {
        let (runtime, logger) = try await NodeLauncher.startQuietly(options)
        do {
            try await body(try await open(runtime, logger: logger), runtime, logger)
            await runtime.stop()
        } catch {
            await runtime.stop()
            throw error
        }
    }
}
