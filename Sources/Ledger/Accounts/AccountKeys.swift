public import LightboxCrypto

/// An account's keys: its secp256k1 key, which signs intents and whose address is the account, and the X25519 key
/// that dataset content keys are sealed to when the account buys.
///
/// The X25519 secret is derived from the account key: SHA-256("lightbox.x25519/v1" ‖ the 32-byte secp256k1
/// secret). So the account's keystore is all a buyer keeps; the X25519 key can always be derived again, and it is
/// different for every account. The public half is tied to the account by the buyer's own signature: every
/// `Purchase` intent names it as `buyerKey`, and the seller seals the content key to exactly that key.
public struct AccountKeys: Sendable {
    public let signing: Secp256k1.PrivateKey
    public let sealing: X25519.KeyPair

    public init(_ signing: Secp256k1.PrivateKey) {
        self.signing = signing
        let secret = SHA256.hash(Array("lightbox.x25519/v1".utf8) + signing.bytes)
        sealing = try! X25519.KeyPair(secretKey: secret)
    }

    public var address: EthereumAddress { EthereumAddress(publicKey: signing.publicKey) }
}
