import Foundation
public import Ledger
public import LightboxCrypto

/// The node's own ledger account: signs and submits the intents the node makes for others — deliveries for the
/// contributors who approved it as their operator, and releases of escrows whose acceptance deadline passed.
/// Submissions go one at a time in a process, each with the account's next nonce as the ledger shows it; another
/// process of the same node may take that nonce first, and the intent is then signed again with the next one.
public actor NodeAccount {
    let key: Secp256k1.PrivateKey
    let ledger: any LedgerBackend
    public nonisolated let address: EthereumAddress

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
        var attempt = 0
        while true {
            let nonce = try await ledger.nextNonce(of: address)
            let intent = Intent(action, account: address, nonce: nonce, deadline: UInt64(Date().timeIntervalSince1970) + Self.validity)
            do {
                return try await ledger.submit(try intent.signed(by: key, domain: ledger.domain))
            } catch let error as LedgerError where [.replayed, .nonceGap].contains(error.code) && attempt < Self.nonceRetries {
                attempt += 1  // another process of this node used the nonce: sign again with the next one
            }
        }
    }

    /// How many times an intent is signed again after losing its nonce to another process.
    static let nonceRetries = 8
}
