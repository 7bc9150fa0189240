import ArgumentParser
import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node

extension LedgerCommand {
    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deploy",
            abstract: "Deploy Lightbox's contracts to an EVM chain for this node, and write the deployment file serve reads.",
            discussion: """
                Sends the contracts built into this binary (no compiler needed) from a keystore account that pays the \
                gas and becomes their owner (governance), registers this node's QA key, and writes the addresses to \
                ledger.evm.deployment (default <data-dir>/evm-deployment.json). Then set ledger.backend=evm and \
                ledger.evm.rpc-url, fund the node's account (printed) with ether for gas, and start serve. With --dev \
                and no --payment-token, the development token is deployed too and the node's account becomes its \
                faucet (and gets 10 ether from the deployer).
                """)
        @OptionGroup var settingsOptions: SettingsOptions
        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "The chain's JSON-RPC endpoint (default: ledger.evm.rpc-url).") var rpcURL: String?
        @Option(help: "The keystore account that deploys and owns the contracts.") var key: String
        @Option(help: "The ERC-20 the marketplace takes (required without --dev).") var paymentToken: String?
        @Flag(help: "A development chain: deploy the development token when no --payment-token is given.") var dev = false
        @Option(help: "Where platform fees go (default: the deployer).") var treasury: String?
        @Option(help: "The platform fee in basis points.") var platformFeeBps: UInt64 = 250
        @Option(help: "Blocks to wait on each deployment transaction (default: ledger.evm.confirmations).") var confirmations: UInt64?
        @Flag(help: "Replace an existing deployment file.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let settings = try settingsOptions.load(extra: ["log.level": ("warning", "default for one-shot commands")])
                guard let url = rpcURL ?? settings.evmRPCURL, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw CommandError("give the chain's JSON-RPC endpoint with --rpc-url (http:// or https://) or ledger.evm.rpc-url")
                }
                guard dev || paymentToken != nil else {
                    throw CommandError("name the ERC-20 the marketplace takes with --payment-token ADDRESS; only --dev deploys the development token")
                }
                let token = try paymentToken.map { text in
                    guard let address = try? EthereumAddress(text) else { throw CommandError("--payment-token \(text.prefix(60)) is not an address") }
                    return address
                }
                let treasuryAddress = try treasury.map { text in
                    guard let address = try? EthereumAddress(text) else { throw CommandError("--treasury \(text.prefix(60)) is not an address") }
                    return address
                }
                guard platformFeeBps <= 5_000 else { throw CommandError("--platform-fee-bps is at most 5000 (50 %)") }
                let path = settings.evmDeploymentFile
                if !force { try ChainDeployment.refuseReplacing(path) }
                let deployer = try keyOptions.store(settings).unlock(key, passphrase: try keyOptions.passphrase())
                let (dataDirectory, _) = try DataDirectory.prepare(settings.dataDirectory)
                let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
                let logger = Logger(label: "lightbox.deploy")
                let rpc = EthereumRPC(transport: HTTPJSONRPCTransport(url: url, http: .shared))
                let chainID = try await rpc.chainID()
                if let expected = settings.evmChainID, expected != chainID {
                    throw CommandError("\(rpc.endpoint) is chain \(chainID), but ledger.evm.chain-id is \(expected)")
                }
                let sender = TransactionSender(
                    rpc: rpc, chainID: chainID, key: deployer.signing, nonces: InMemoryNonceReservations(),
                    fees: FeePolicy(maxFeePerGasCap: settings.evmMaxFeePerGas, maxPriorityFeeCap: settings.evmMaxPriorityFeePerGas),
                    confirmations: confirmations ?? settings.evmConfirmations, logger: logger)
                let addresses = try await ChainDeployment.deploy(
                    sender: sender, identity: identity, paymentToken: token, development: dev, treasury: treasuryAddress,
                    platformFeeBps: platformFeeBps)
                try ChainDeployment.write(addresses, to: path)
                let node = EthereumAddress(publicKey: identity.accountKey.publicKey)
                if json {
                    FileHandle.standardOutput.write(Data(addresses.json + [0x0a]))
                    return
                }
                print("""
                    Deployed Lightbox's contracts on chain \(chainID) (deployment file \(path)):
                      governance     \(addresses.governance)  (owner \(addresses.owner))
                      registry       \(addresses.registry)
                      escrow         \(addresses.escrow)  (also the licences)
                      payment token  \(addresses.paymentToken)\(addresses.developmentToken ? "  (development token; this node's account is its faucet)" : "")
                      QA key         \(identity.qaSigner) (this node's, registered)
                    Next: set ledger.backend=evm and ledger.evm.rpc-url, \(addresses.developmentToken ? "" : "fund the node's account \(node) with ether for gas, ")and start `lightbox serve`.
                    """)
            }
        }
    }
}
