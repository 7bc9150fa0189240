import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node
import Persistence

/// The chain `lightbox demo --ledger evm` runs on: one someone else started (`--rpc-url`, with a funded deployer key),
/// or the project's development chain (contracts/devchain.py) started for the demo and stopped after it.
final class DemoChain: @unchecked Sendable {
    let url: String
    let deployer: Secp256k1.PrivateKey
    /// The development chain started for the demo, kept running while the demo is.
    private let chain: DevelopmentChain?
    /// Filled in when the node deploys: what the demo prints at the end.
    private(set) var addresses: ContractAddresses?

    private init(url: String, deployer: Secp256k1.PrivateKey, chain: DevelopmentChain?) {
        self.url = url
        self.deployer = deployer
        self.chain = chain
    }

    /// A chain someone else runs.
    static func external(url: String, deployerKeyFile: String) throws -> DemoChain {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw CommandError("--rpc-url must be an http:// or https:// JSON-RPC endpoint")
        }
        return DemoChain(url: url, deployer: try Secp256k1.PrivateKey(hexFile: deployerKeyFile), chain: nil)
    }

    /// The development chain, from a checkout: contracts/devchain.py run by the contracts' Python
    /// (`LIGHTBOX_DEVCHAIN_PYTHON`, else .build/tools/contracts-venv/bin/python), from the current directory.
    static func development() throws -> DemoChain {
        let environment = ProcessInfo.processInfo.environment
        let python = environment["LIGHTBOX_DEVCHAIN_PYTHON"] ?? ".build/tools/contracts-venv/bin/python"
        let script = environment["LIGHTBOX_DEVCHAIN_SCRIPT"] ?? "contracts/devchain.py"
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: script) else {
            throw CommandError("the development chain needs \(script) and its Python (\(python)): run this from a Lightbox checkout after `contracts/run-tests --install`, or give --rpc-url and --deployer-key-file for a chain you run")
        }
        let chain = try DevelopmentChain(python: python, script: script)
        return DemoChain(url: chain.url, deployer: chain.developmentKey, chain: chain)
    }

    /// Deploys the contracts for the node (its QA key registered, `arbiter` registered, fees to `treasury`), writes
    /// the deployment file and a config.json into the node's directory (so `lightbox serve --data-dir` serves it
    /// afterwards), and opens the ledger.
    func ledger(identity: NodeIdentity, dataDirectory: DataDirectory, database: any Database, treasury: EthereumAddress,
                arbiter: EthereumAddress, logger: Logger) async throws -> any LedgerBackend {
        let rpc = EthereumRPC(transport: HTTPJSONRPCTransport(url: url, http: .shared))
        let chainID = try await rpc.chainID()
        let sender = TransactionSender(rpc: rpc, chainID: chainID, key: deployer, nonces: InMemoryNonceReservations(), confirmations: 1, logger: logger)
        let addresses = try await ChainDeployment.deploy(
            sender: sender, identity: identity, paymentToken: nil, development: true, treasury: treasury, arbiters: [arbiter])
        self.addresses = addresses
        try ChainDeployment.write(addresses, to: dataDirectory.file("evm-deployment.json"))
        let config = ["ledger.backend": "evm", "ledger.evm.rpc-url": url, "ledger.evm.confirmations": "1"]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: dataDirectory.file("config.json")))
        let settings = MarketplaceAssembly.ChainSettings(rpcURL: url, chainID: chainID, deployment: addresses, confirmations: 1, fees: FeePolicy())
        return try await MarketplaceAssembly.chainLedger(database: database, identity: identity, chain: settings, http: .shared, logger: logger)
    }
}
