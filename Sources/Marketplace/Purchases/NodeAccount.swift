import Foundation
public import Ledger
public import LightboxCrypto

/// The node's own ledger account: signs and submits the intents the node makes for others — deliveries for the
/// contributors who approved it as their operator, and releases of escrows whose acceptance deadline passed.
/// Submissions go one at a time, so each takes the next nonce.
public actor NodeAccount {
    let key: Secp256k1.PrivateKey
    let ledger: EmbeddedLedger
    public nonisolated let address: EthereumAddress

    /// How long an intent the node signs stays valid.
    static let validity: UInt64 = 600

    public init(key: Secp256k1.PrivateKey, ledger: EmbeddedLedger) {
        self.key = key
        self.ledger = ledger
        address = EthereumAddress(publicKey: key.publicKey)
    }

    /// Signs `action` with the account's next nonce and submits it.
    /// - Throws: ``LedgerError`` when the ledger refuses it, or a database error.
    @discardableResult
    public func submit(_ action: LedgerAction) async throws -> EmbeddedLedger.Receipt {
        let nonce = await ledger.state.nextNonce(of: address)
        let intent = Intent(action, account: address, nonce: nonce, deadline: UInt64(Date().timeIntervalSince1970) + Self.validity)
        return try await ledger.submit(try intent.signed(by: key, domain: ledger.parameters.domain))
    }
}
