public import Ledger
public import LightboxCrypto

/// The node's own ledger account: signs and submits the intents the node makes for others — deliveries for the
/// contributors who approved it as their operator, and releases of escrows whose acceptance deadline passed.
///
/// The ledger signs each action with the account's nonce as it applies it (``LedgerBackend/submit(_:signedBy:validFor:)``),
/// so the node's processes never race each other for a nonce, and an action refused for its own reasons leaves no
/// gap behind it. Actions that arrive together are applied in one batch (the ledger's group commit).
public struct NodeAccount: Sendable {
    let key: Secp256k1.PrivateKey
    let ledger: any LedgerBackend
    public let address: EthereumAddress

    /// How long an intent the node signs stays valid.
    static let validity: UInt64 = 600

    public init(key: Secp256k1.PrivateKey, ledger: any LedgerBackend) {
        self.key = key
        self.ledger = ledger
        address = EthereumAddress(publicKey: key.publicKey)
    }

    /// Signs `action` with the account's next nonce and submits it.
    /// - Throws: ``LedgerError`` when the ledger refuses it, or a database error.
    @discardableResult
    public func submit(_ action: LedgerAction) async throws -> LedgerReceipt {
        try await ledger.submit([action], signedBy: key, validFor: Self.validity)[0].get()
    }
}
