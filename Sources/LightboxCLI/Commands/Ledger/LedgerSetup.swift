import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node

/// The node's ledger as the settings ask for it: the one its database holds, checked against the settings, or —
/// on a node's first start — a new one: a development ledger with a governance key of its own unless
/// `ledger.mode` is `production`.
enum LedgerSetup {
    /// The most the faucet of a new development ledger gives one account.
    static let developmentFaucetAccountLimit = TokenAmount.tokens(100_000)

    /// Opens the node's ledger; `create` makes one when the database holds none (and says what it made).
    static func open(_ runtime: NodeRuntime, logger: Logger, create: Bool) async throws -> any LedgerBackend {
        if runtime.settings.ledgerOnChain { return try await openOnChain(runtime, logger: logger) }
        if let stored = try await MarketplaceAssembly.existingLedger(in: runtime.database, logger: logger) {
            try check(stored, against: runtime.settings)
            return try await MarketplaceAssembly.ledger(database: runtime.database, identity: runtime.identity, parameters: stored, logger: logger)
        }
        guard create else {
            throw CommandError("this node has no ledger yet; `lightbox serve` creates one when it first starts")
        }
        let (parameters, governanceKey) = try newLedger(runtime)
        do {
            let ledger = try await MarketplaceAssembly.ledger(
                database: runtime.database, identity: runtime.identity, parameters: parameters, logger: logger)
            announce(parameters, governanceKey: governanceKey, runtime: runtime)
            return ledger
        } catch let error as LedgerError where error.code == .notInitialised {
            // Another process sharing the database created the ledger first: open that one.
            guard let stored = try await MarketplaceAssembly.existingLedger(in: runtime.database, logger: logger) else { throw error }
            try check(stored, against: runtime.settings)
            return try await MarketplaceAssembly.ledger(database: runtime.database, identity: runtime.identity, parameters: stored, logger: logger)
        }
    }

    /// The contracts on a chain, as `ledger.evm.*` and the deployment file name them.
    static func openOnChain(_ runtime: NodeRuntime, logger: Logger) async throws -> EVMLedger {
        let settings = runtime.settings
        guard let url = settings.evmRPCURL else {
            throw CommandError("ledger.backend is evm (\(settings.source("ledger.backend")!)) but ledger.evm.rpc-url is not set: give the chain's JSON-RPC endpoint")
        }
        let path = settings.evmDeploymentFile
        guard let json = FileManager.default.contents(atPath: path) else {
            throw CommandError("there is no deployment file at \(path): deploy the contracts with `lightbox ledger deploy --rpc-url URL --key NAME` (it writes the file there), or set ledger.evm.deployment to the file contracts/deploy.py printed")
        }
        let deployment = try ContractAddresses(json: Array(json))
        let chain = MarketplaceAssembly.ChainSettings(
            rpcURL: url, chainID: settings.evmChainID, deployment: deployment, confirmations: settings.evmConfirmations,
            fees: FeePolicy(maxFeePerGasCap: settings.evmMaxFeePerGas, maxPriorityFeeCap: settings.evmMaxPriorityFeePerGas))
        return try await MarketplaceAssembly.chainLedger(database: runtime.database, identity: runtime.identity, chain: chain, http: .shared, logger: logger)
    }

    /// Refuses a stored ledger the settings do not describe: a development ledger under `ledger.mode=production`, or
    /// one whose id, chain or governance differ from a configured value.
    static func check(_ stored: LedgerParameters, against settings: Settings) throws {
        if !settings.ledgerDevelopment && stored.devMode {
            throw CommandError(
                "this database holds development ledger \(stored.ledgerID) (it has a faucet), and ledger.mode is production "
                    + "(\(settings.source("ledger.mode")!)), which refuses a development ledger: give the production ledger a database of its own "
                    + "(database.url or data-dir)")
        }
        if settings.ledgerDevelopment && !stored.devMode && settings.source("ledger.mode") != .defaultValue {
            throw CommandError(
                "this database holds production ledger \(stored.ledgerID), but ledger.mode is development (\(settings.source("ledger.mode")!)); "
                    + "set ledger.mode to production, or give a development ledger a database of its own")
        }
        func differs(_ key: String, configured: String, stored: String) -> CommandError {
            CommandError(
                "\(key) is \(configured) (\(settings.source(key)!)), but this database's ledger was created with \(stored); a ledger's "
                    + "\(key) is fixed at creation: unset \(key) (or set it to \(stored)), or give a new ledger a database of its own")
        }
        if let id = settings.ledgerID, id != stored.ledgerID {
            throw differs("ledger.id", configured: id, stored: stored.ledgerID)
        }
        if settings.source("ledger.chain-id") != .defaultValue, settings.ledgerChainID != stored.chainID {
            throw differs("ledger.chain-id", configured: String(settings.ledgerChainID), stored: String(stored.chainID))
        }
        if let governance = settings.ledgerGovernance, (try? EthereumAddress(governance)) != stored.governance {
            throw differs("ledger.governance", configured: governance, stored: stored.governance.description)
        }
    }

    /// A new ledger's parameters, and the keystore entry of a governance key made for it.
    private static func newLedger(_ runtime: NodeRuntime) throws -> (LedgerParameters, LocalKeystore.Entry?) {
        let settings = runtime.settings
        let suffix = SecureRandom.bytes(count: 4).hexString
        var governanceKey: LocalKeystore.Entry?
        let governance: EthereumAddress
        if let configured = settings.ledgerGovernance {
            guard let address = try? EthereumAddress(configured) else {
                throw CommandError("ledger.governance '\(configured.prefix(60))' is not an account address (0x and 40 hex digits)")
            }
            governance = address
        } else if settings.ledgerDevelopment {
            let entry = try governanceAccount(LocalKeystore(directory: settings.dataDirectory + "/keystore"))
            governanceKey = entry
            governance = entry.address
        } else {
            throw CommandError(
                "a production ledger (ledger.mode=production) needs its governance account: set ledger.governance to an address "
                    + "(`lightbox keys new --name governance` makes one), then start again")
        }
        let parameters = try LedgerParameters(
            ledgerID: settings.ledgerID ?? (settings.ledgerDevelopment ? "lightbox-dev-" : "lightbox-") + suffix,
            chainID: settings.ledgerChainID, governance: governance, devMode: settings.ledgerDevelopment,
            faucetAccountLimit: settings.ledgerDevelopment ? developmentFaucetAccountLimit : nil, qaSigners: [runtime.identity.qaSigner])
        return (parameters, governanceKey)
    }

    /// The keystore's `governance` key, made (with `LIGHTBOX_KEY_PASSPHRASE`, else an empty passphrase) if missing.
    private static func governanceAccount(_ keystore: LocalKeystore) throws -> LocalKeystore.Entry {
        if let entry = try? keystore.entry("governance") { return entry }
        let passphrase = ProcessInfo.processInfo.environment["LIGHTBOX_KEY_PASSPHRASE"] ?? ""
        return try keystore.save(AccountKeys(.random()), name: "governance", passphrase: passphrase, scryptN: 1 << 18)
    }

    /// Says once, on standard output, what a new ledger is and what to try next.
    private static func announce(_ parameters: LedgerParameters, governanceKey: LocalKeystore.Entry?, runtime: NodeRuntime) {
        let kind = parameters.devMode ? "development" : "production"
        var lines = ["Created a \(kind) ledger, \(parameters.ledgerID) (chain \(parameters.chainID)): intents signed for it are valid on it alone."]
        if let governanceKey {
            let passphrase = ProcessInfo.processInfo.environment["LIGHTBOX_KEY_PASSPHRASE"] == nil
                ? "an EMPTY passphrase (LIGHTBOX_KEY_PASSPHRASE was not set)" : "the passphrase in LIGHTBOX_KEY_PASSPHRASE"
            lines.append("  governance  \(parameters.governance): the key `governance` in \(governanceKey.path), with \(passphrase)")
        } else {
            lines.append("  governance  \(parameters.governance) (ledger.governance)")
        }
        lines.append("  QA key      \(runtime.identity.publicKey.bytes.hexString) (this node's)")
        if parameters.devMode, let cap = parameters.faucetAccountLimit {
            lines.append("  faucet      up to \(parameters.faucetLimit.tokenString) tokens a call, \(cap.tokenString) per account")
        }
        if parameters.devMode {
            lines += [
                "Next, from this directory (add --data-dir if the node's is not ./.lightbox):",
                "  lightbox keys new --name alice && lightbox faucet --key alice",
                "  lightbox publish ./my-set --title \"My set\" --task detection --price 25 --licence commercial --key alice",
                "  lightbox governance arbiter add ADDRESS --key governance    # so disputes have an arbiter",
            ]
        }
        // Unbuffered: a server's standard output may be a file read while it runs.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Runs `body` with the node started quietly and the transparency log of its existing ledger.
    static func with(_ options: SettingsOptions, _ body: (any LedgerLog, any LedgerBackend, NodeRuntime, Logger) async throws -> Void) async throws {
        let (runtime, logger) = try await NodeLauncher.startQuietly(options)
        do {
            let ledger = try await open(runtime, logger: logger, create: false)
            guard let log = ledger.log else { throw CommandError("this node's ledger backend keeps no transparency log") }
            try await body(log, ledger, runtime, logger)
            await runtime.stop()
        } catch {
            await runtime.stop()
            throw error
        }
    }
}
