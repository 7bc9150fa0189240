import Foundation
public import LightboxCrypto

/// Where a deployment of Lightbox's contracts lives: the JSON `contracts/deploy.py` and `lightbox ledger deploy`
/// print and `serve` reads (the licences are kept by the Escrow, so `licences` names it again).
public struct ContractAddresses: Sendable, Equatable, Codable {
    public var chainID: UInt64
    public var paymentToken: EthereumAddress
    public var governance: EthereumAddress
    public var registry: EthereumAddress
    public var escrow: EthereumAddress
    public var licences: EthereumAddress
    /// The account that deployed them and owns Governance until it hands ownership on.
    public var owner: EthereumAddress
    public var treasury: EthereumAddress
    /// Whether the payment token is the development token (dev chains only).
    public var developmentToken: Bool
    /// The block the first contract was deployed in: where an indexer starts.
    public var deploymentBlock: UInt64?

    enum CodingKeys: String, CodingKey {
        case chainID = "chain_id", paymentToken = "payment_token", governance, registry, escrow, licences, owner, treasury
        case developmentToken = "development_token", deploymentBlock = "deployment_block"
    }

    public init(chainID: UInt64, paymentToken: EthereumAddress, governance: EthereumAddress, registry: EthereumAddress,
                escrow: EthereumAddress, owner: EthereumAddress, treasury: EthereumAddress, developmentToken: Bool,
                deploymentBlock: UInt64?) {
        self.chainID = chainID
        self.paymentToken = paymentToken
        self.governance = governance
        self.registry = registry
        self.escrow = escrow
        licences = escrow
        self.owner = owner
        self.treasury = treasury
        self.developmentToken = developmentToken
        self.deploymentBlock = deploymentBlock
    }

    /// The address of one of the deployment's contracts (the payment token for `.devToken`, whichever ERC-20 it is).
    public func address(of contract: LightboxContract) -> EthereumAddress {
        switch contract {
        case .governance: governance
        case .registry: registry
        case .escrow: escrow
        case .devToken: paymentToken
        case .logAnchor:
            // Only the marketplace's contracts call through here; an embedded ledger's anchor is configured apart.
            preconditionFailure("the marketplace's deployment holds no LogAnchor (see ledger.anchor.contract)")
        }
    }

    /// The contracts by the names the API, the CLI and the deployment file use.
    public var named: [(name: String, address: EthereumAddress)] {
        [("governance", governance), ("registry", registry), ("escrow", escrow), ("licences", licences), ("payment_token", paymentToken)]
    }

    /// Parses the JSON of a deployment file.
    /// - Throws: ``EVMError`` `.configuration` naming the field that is missing or wrong.
    public init(json: [UInt8]) throws(EVMError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(json))
        } catch {
            throw EVMError(.configuration, "the deployment file is not a Lightbox deployment (chain_id, payment_token, governance, registry, escrow, owner, treasury): \(error)")
        }
    }

    /// The JSON, keys sorted, one line.
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }
}
