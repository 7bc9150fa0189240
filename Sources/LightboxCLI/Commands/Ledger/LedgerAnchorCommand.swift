import ArgumentParser
import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Node

extension LedgerCommand {
    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "anchor",
            abstract: "Anchor the embedded ledger on an EVM chain: deploy its LogAnchor, publish its latest checkpoint there.",
            discussion: """
                Anchored, a node cannot rewrite its log's history without the chain showing it: `lightbox ledger \
                verify --anchored` checks the log against every anchored checkpoint. The node's account \
                (keys/node-account.key, printed by `lightbox node info`) deploys the contract, owns it and pays for \
                each anchor. With ledger.anchor.rpc-url and ledger.anchor.contract set, serve anchors by itself every \
                ledger.anchor.every-entries entries or ledger.anchor.every-seconds seconds.
                """,
            subcommands: [Deploy.self, Publish.self])

        struct Deploy: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "deploy", abstract: "Deploy a LogAnchor for this node's log, owned by the node's account; print its address.")
            @OptionGroup var settingsOptions: SettingsOptions
            @Option(help: "The chain's JSON-RPC endpoint (default: ledger.anchor.rpc-url).") var rpcURL: String?

            func run() async throws {
                try await CommandFailure.guarding {
                    try await LedgerSetup.with(settingsOptions) { log, _, runtime, logger in
                        let (rpc, chainID) = try await AnchorSetup.chain(runtime.settings, rpcURL: rpcURL)
                        let checkpoint = try await log.signedCheckpoint().checkpoint
                        let address = try await LogAnchoring.deploy(
                            origin: checkpoint.origin, sender: AnchorSetup.sender(runtime, rpc: rpc, chainID: chainID, logger: logger))
                        print("""
                            LogAnchor for \(checkpoint.origin) deployed at \(address) on chain \(chainID), owned by the node's account \
                            \(EthereumAddress(publicKey: runtime.identity.accountKey.publicKey)).
                            Set ledger.anchor.rpc-url=\(rpc.endpoint) and ledger.anchor.contract=\(address); serve then anchors by itself, \
                            or run `lightbox ledger anchor publish`.
                            """)
                    }
                }
            }
        }

        struct Publish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "publish", abstract: "Anchor the log's latest checkpoint now.")
            @OptionGroup var settingsOptions: SettingsOptions

            func run() async throws {
                try await CommandFailure.guarding {
                    try await LedgerSetup.with(settingsOptions) { log, _, runtime, logger in
                        let publisher = try await AnchorSetup.publisher(runtime, log: log, logger: logger)
                        if let anchor = try await publisher.publishNow() {
                            print("anchored the log at \(anchor.size) entries, root \(anchor.root.hexString), at \(LedgerTime.text(anchor.time))")
                        } else {
                            print("the chain already holds the log's latest checkpoint")
                        }
                    }
                }
            }
        }
    }
}

/// The chain, contract and sending account an anchored ledger uses, from the settings.
enum AnchorSetup {
    /// The anchoring chain's client and chain id.
    static func chain(_ settings: Settings, rpcURL: String? = nil) async throws -> (EthereumRPC, UInt64) {
        guard let url = rpcURL ?? settings.anchorRPCURL, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw CommandError("give the anchoring chain's JSON-RPC endpoint with --rpc-url (http:// or https://) or ledger.anchor.rpc-url")
        }
        let rpc = EthereumRPC(transport: HTTPJSONRPCTransport(url: url, http: .shared))
        return (rpc, try await rpc.chainID())
    }

    /// The configured LogAnchor on `rpc`.
    static func anchoring(_ settings: Settings, rpc: EthereumRPC) throws -> LogAnchoring {
        guard let text = settings.anchorContract else {
            throw CommandError("ledger.anchor.contract is not set: deploy one with `lightbox ledger anchor deploy --rpc-url URL` and set it")
        }
        guard let contract = try? EthereumAddress(text) else { throw CommandError("ledger.anchor.contract '\(text.prefix(60))' is not an address") }
        return LogAnchoring(rpc: rpc, contract: contract)
    }

    /// The node's account sending to the anchoring chain, its nonces reserved in the node's database.
    static func sender(_ runtime: NodeRuntime, rpc: EthereumRPC, chainID: UInt64, logger: Logger) -> TransactionSender {
        let settings = runtime.settings
        return TransactionSender(
            rpc: rpc, chainID: chainID, key: runtime.identity.accountKey,
            nonces: DatabaseNonceReservations(database: runtime.database, logger: logger),
            fees: FeePolicy(maxFeePerGasCap: settings.evmMaxFeePerGas, maxPriorityFeeCap: settings.evmMaxPriorityFeePerGas),
            confirmations: settings.evmConfirmations, logger: logger)
    }

    /// The publisher of the node's checkpoints, as configured.
    static func publisher(_ runtime: NodeRuntime, log: any LedgerLog, logger: Logger) async throws -> LogAnchorPublisher {
        let (rpc, chainID) = try await chain(runtime.settings)
        return LogAnchorPublisher(
            log: log, anchoring: try anchoring(runtime.settings, rpc: rpc), sender: sender(runtime, rpc: rpc, chainID: chainID, logger: logger),
            everyEntries: runtime.settings.anchorEveryEntries, everySeconds: runtime.settings.anchorEverySeconds)
    }
}
