public import LightboxCrypto

/// The EIP-712 domain every Lightbox intent is signed under: the chain and the ledger it is meant for, so a
/// signature for one ledger (or one chain) is worthless on any other.
///
/// On an EVM chain `verifyingContract` is the marketplace contract's address; on the embedded ledger it is
/// derived from the ledger's id (the last 20 bytes of Keccak-256("lightbox.ledger:" ‖ id)), which gives each
/// embedded ledger an address of its own that wallets display like any contract.
public struct IntentDomain: Sendable, Equatable {
    public static let name = "Lightbox"
    public static let version = "1"

    public let chainID: UInt64
    public let verifyingContract: EthereumAddress

    public init(chainID: UInt64, verifyingContract: EthereumAddress) {
        self.chainID = chainID
        self.verifyingContract = verifyingContract
    }

    /// The domain of an embedded ledger.
    public static func embedded(chainID: UInt64, ledgerID: String) -> IntentDomain {
        let address = try! EthereumAddress(bytes: Array(Keccak256.hash(Array("lightbox.ledger:\(ledgerID)".utf8)).suffix(20)))
        return IntentDomain(chainID: chainID, verifyingContract: address)
    }

    var values: [String: EIP712.Value] {
        [
            "name": .string(Self.name), "version": .string(Self.version), "chainId": .uint(chainID),
            "verifyingContract": .address(verifyingContract),
        ]
    }
}
