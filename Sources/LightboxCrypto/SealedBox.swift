internal import CSodium

/// Anonymous public-key encryption (`crypto_box_seal`): anyone can seal to a public key, only its owner opens.
public enum SealedBox {
    /// Bytes a sealed message grows by (ephemeral public key and MAC).
    public static let overhead = crypto_box_sealbytes()

    /// Seals `message` to `recipient`.
    public static func seal(_ message: [UInt8], to recipient: X25519.PublicKey) -> [UInt8] {
        Sodium.ensureInitialised()
        var sealed = [UInt8](repeating: 0, count: message.count + overhead)
        crypto_box_seal(&sealed, message, UInt64(message.count), recipient.bytes)
        return sealed
    }

    /// Opens a sealed message with the recipient's key pair.
    /// - Throws: ``CryptoError`` with code `decryptionFailed` when it was sealed to another key or altered.
    public static func open(_ sealed: [UInt8], with recipient: X25519.KeyPair) throws -> [UInt8] {
        Sodium.ensureInitialised()
        guard sealed.count >= overhead else {
            throw CryptoError(.decryptionFailed, "a sealed box is at least \(overhead) bytes, got \(sealed.count)")
        }
        var message = [UInt8](repeating: 0, count: sealed.count - overhead)
        let status = crypto_box_seal_open(
            &message, sealed, UInt64(sealed.count), recipient.publicKey.bytes, recipient.secretKey
        )
        guard status == 0 else {
            throw CryptoError(.decryptionFailed, "the sealed box does not open with this key, or it was altered")
        }
        return message
    }
}
