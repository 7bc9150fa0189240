import LightboxCrypto

/// Lightbox's deployable contracts.
public enum LightboxContract: String, Sendable, CaseIterable {
    /// The development payment token (ERC-20 + EIP-2612 + a faucet): dev chains only.
    case devToken = "DevToken"
    /// Arbiters, QA signers, the platform fee and treasury; two-step ownership.
    case governance = "Governance"
    /// ERC-721 listing tokens with royalties, minted against QA attestations.
    case registry = "DatasetRegistry"
    /// Purchases, licences, deliveries, disputes and rulings.
    case escrow = "Escrow"
    /// An embedded ledger's checkpoints, anchored by its node (``LogAnchoring``).
    case logAnchor = "LogAnchor"
}

/// A compiled contract as `contracts/build/<Name>.json` holds it: its ABI and creation bytecode, and what compiled
/// it. The artifacts are built into the binary, so deploying and talking to the contracts needs no compiler.
public struct ContractArtifact: Sendable {
    public let contract: LightboxContract
    public let abi: ContractABI
    public let bytecode: [UInt8]
    public let compiler: String
    public let evmVersion: String

    /// The committed artifact of `contract`.
    public static func of(_ contract: LightboxContract) -> ContractArtifact { loaded[contract]! }

    private static let loaded: [LightboxContract: ContractArtifact] = {
        var artifacts = [LightboxContract: ContractArtifact]()
        for contract in LightboxContract.allCases {
            // The embedded JSON is generated from the committed artifacts and checked by a test: a failure here is
            // a build defect, not an input error.
            artifacts[contract] = try! ContractArtifact(contract: contract, json: Array(embeddedJSON[contract.rawValue]!.utf8))
        }
        return artifacts
    }()

    init(contract: LightboxContract, json: [UInt8]) throws(EVMError) {
        self.contract = contract
        abi = try ContractABI(json: json)
        let fields = try ArtifactFields(json: json)
        guard let code = [UInt8](hexString: fields.bytecode), !code.isEmpty else {
            throw EVMError(.encoding, "the \(contract.rawValue) artifact's bytecode is not hex")
        }
        bytecode = code
        compiler = fields.compiler
        evmVersion = fields.evmVersion
    }

    /// The data of a creation transaction: the bytecode, then the constructor's arguments.
    /// - Throws: ``EVMError`` `.encoding` when the arguments do not fit the constructor.
    public func deploymentData(_ arguments: [ABIValue]) throws(EVMError) -> [UInt8] {
        guard arguments.count == abi.constructorInputs.count else {
            throw EVMError(.encoding, "\(contract.rawValue)'s constructor takes \(abi.constructorInputs.count) arguments, got \(arguments.count)")
        }
        return bytecode + (try ABI.encode(arguments, as: abi.constructorInputs.map(\.type)))
    }
}
