internal import CSodium

/// Derives independent subkeys from one master key (`crypto_kdf_derive_from_key`, BLAKE2b).
public enum KeyDerivation {
    /// The context length libsodium requires, in bytes.
    public static let contextByteCount = Int(crypto_kdf_CONTEXTBYTES)

    /// Derives subkey number `id` for `context` from `masterKey`.
    /// - Parameters:
    ///   - masterKey: The key to derive from.
    ///   - id: The subkey number; different numbers give unrelated keys.
    ///   - context: Exactly 8 ASCII bytes naming the purpose, e.g. `"LBXdata1"`.
    ///   - byteCount: The subkey length, 16 to 64 bytes (default 32).
    /// - Throws: ``CryptoError`` with code `invalidInput` for a wrong context or length.
    public static func deriveKey(
        from masterKey: SymmetricKey, id: UInt64, context: String, byteCount: Int = SymmetricKey.byteCount
    ) throws -> [UInt8] {
        Sodium.ensureInitialised()
        let contextBytes = Array(context.utf8)
        guard contextBytes.count == contextByteCount else {
            throw CryptoError(.invalidInput, "a key-derivation context must be \(contextByteCount) bytes: \"\(context)\"")
        }
        guard (Int(crypto_kdf_BYTES_MIN)...Int(crypto_kdf_BYTES_MAX)).contains(byteCount) else {
            throw CryptoError(.invalidInput, "a derived key must be 16 to 64 bytes, asked for \(byteCount)")
        }
        var subkey = [UInt8](repeating: 0, count: byteCount)
        let status = contextBytes.map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { context in
            crypto_kdf_derive_from_key(&subkey, byteCount, id, context.baseAddress!, masterKey.bytes)
        }
        guard status == 0 else { throw CryptoError(.invalidInput, "key derivation failed") }
        return subkey
    }
}
