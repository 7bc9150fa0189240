internal import CSodium

/// Wraps (encrypts) one key under another with XChaCha20-Poly1305-IETF and a random 24-byte nonce.
///
/// The wrapped form is `nonce ‖ ciphertext ‖ tag` (24 + 32 + 16 = 72 bytes for a 32-byte key). Associated data
/// binds the wrapped key to what it is for (say, a dataset id), so a wrapped key cannot be swapped for another's.
public enum KeyWrap {
    /// Bytes of a wrapped 32-byte key.
    public static let wrappedByteCount = nonceByteCount + SymmetricKey.byteCount + tagByteCount
    static let nonceByteCount = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagByteCount = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// Encrypts `key` under `wrappingKey`, bound to `associatedData`.
    public static func wrap(_ key: SymmetricKey, with wrappingKey: SymmetricKey, associatedData: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialised()
        let nonce = SecureRandom.bytes(count: nonceByteCount)
        var ciphertext = [UInt8](repeating: 0, count: SymmetricKey.byteCount + tagByteCount)
        var written: UInt64 = 0
        crypto_aead_xchacha20poly1305_ietf_encrypt(
            &ciphertext, &written, key.bytes, UInt64(key.bytes.count),
            associatedData, UInt64(associatedData.count), nil, nonce, wrappingKey.bytes
        )
        return nonce + ciphertext
    }

    /// Decrypts a wrapped key.
    /// - Throws: ``CryptoError`` with code `decryptionFailed` for a wrong wrapping key, wrong associated data,
    ///   or altered bytes; `invalidKeyLength` when `wrapped` is not 72 bytes.
    public static func unwrap(_ wrapped: [UInt8], with wrappingKey: SymmetricKey, associatedData: [UInt8]) throws
        -> SymmetricKey
    {
        Sodium.ensureInitialised()
        guard wrapped.count == wrappedByteCount else {
            throw CryptoError.keyLength("a wrapped key", expected: wrappedByteCount, got: wrapped.count)
        }
        let nonce = Array(wrapped[..<nonceByteCount])
        let ciphertext = Array(wrapped[nonceByteCount...])
        var key = [UInt8](repeating: 0, count: SymmetricKey.byteCount)
        var written: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &key, &written, nil, ciphertext, UInt64(ciphertext.count),
            associatedData, UInt64(associatedData.count), nonce, wrappingKey.bytes
        )
        guard status == 0 else {
            throw CryptoError(
                .decryptionFailed, "the wrapped key does not open: wrong master key, wrong owner, or altered bytes"
            )
        }
        return try SymmetricKey(bytes: key)
    }
}
