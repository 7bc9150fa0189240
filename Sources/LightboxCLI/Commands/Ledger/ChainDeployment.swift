import Foundation
import Ledger
import LightboxCrypto
import Logging
import Node

/// Deploying the contracts for a node and preparing its account, as `lightbox ledger deploy` and the demo do.
enum ChainDeployment {
    /// Deploys from `deployer` with the node's QA key registered (and `arbiters`); on a development chain, also makes
    /// the node's account a minter of the development token (its faucet) and gives it ether for gas from the deployer.
    static func deploy(
        sender: TransactionSender, identity: NodeIdentity, paymentToken: EthereumAddress?, development: Bool,
        treasury: EthereumAddress? = nil, platformFeeBps: UInt64 = 250, arbiters: [EthereumAddress] = []
    ) async throws -> ContractAddresses {
        var options = ContractDeployer.Options(paymentToken: paymentToken, development: development)
        options.treasury = treasury
        options.platformFeeBps = platformFeeBps
        options.qaSigners = [identity.qaSigner]
        options.arbiters = arbiters
        let node = EthereumAddress(publicKey: identity.accountKey.publicKey)
        options.minters = [node]
        let addresses = try await ContractDeployer(sender: sender).deploy(options)
        if addresses.developmentToken, try await sender.rpc.balance(of: node) < gasAllowance {
            _ = try await sender.send(to: node, data: [], value: gasAllowance, what: "ether for the node's account")
        }
        return addresses
    }

    /// What a development deployment gives the node's account for gas: 10 ether.
    static let gasAllowance: UInt128 = 10 * 1_000_000_000_000_000_000

    /// Refuses a path that already holds a deployment file: checked before deploying, so no gas is spent in vain.
    static func refuseReplacing(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw CommandError("\(path) already names a deployment; give --force to replace it (the old contracts stay on their chain)")
        }
    }

    /// Writes the deployment file.
    static func write(_ addresses: ContractAddresses, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(addresses.json + [0x0a]).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
