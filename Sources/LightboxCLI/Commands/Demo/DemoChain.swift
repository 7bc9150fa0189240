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
    private let process: Process?
    /// Filled in when the node deploys: what the demo prints at the end.
    private(set) var addresses: ContractAddresses?

    private init(url: String, deployer: Secp256k1.PrivateKey, process: Process?) {
        self.url = url
        self.deployer = deployer
        self.process = process
    }

    deinit { process?.terminate() }

    /// A chain someone else runs.
    static func external(url: String, deployerKeyFile: String) throws -> DemoChain {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw CommandError("--rpc-url must be an http:// or https:// JSON-RPC endpoint")
        }
        return DemoChain(url: url, deployer: try readKey(deployerKeyFile), process: nil)
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
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-demo-chain-\(UUID().uuidString.prefix(8)).key").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script, "--port", "0", "--key-file", keyFile]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        struct Ready: Decodable { let url: String }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line)) else {
            process.terminate()
            throw CommandError("the development chain did not start: \(String(decoding: line.prefix(300), as: UTF8.self))")
        }
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        return DemoChain(url: ready.url, deployer: try readKey(keyFile), process: process)
    }

    private static func readKey(_ path: String) throws -> Secp256k1.PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read the deployer key file \(path)") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = [UInt8](hexString: text), let key = try? Secp256k1.PrivateKey(bytes: bytes) else {
            throw CommandError("\(path) does not hold a secp256k1 private key (64 hex digits)")
        }
        return key
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
        try ChainDeployment.write(addresses, to: dataDirectory.file("evm-deployment.json"), replace: true)
        let config = ["ledger.backend": "evm", "ledger.evm.rpc-url": url, "ledger.evm.confirmations": "1"]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: dataDirectory.file("config.json")))
        let settings = MarketplaceAssembly.ChainSettings(rpcURL: url, chainID: chainID, deployment: addresses, confirmations: 1, fees: FeePolicy())
        return try await MarketplaceAssembly.chainLedger(database: database, identity: identity, chain: settings, http: .shared, logger: logger)
    }
}
