internal import CSodium

/// A 256-bit secret key. Its description never shows the key bytes, so it is safe to log by accident.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key length in bytes.
    public static let byteCount = 32

    /// The raw key bytes. Handle with care: never log or print them.
    public let bytes: [UInt8]

    /// Wraps existing key bytes.
    /// - Throws: ``CryptoError`` with code `invalidKeyLength` unless `bytes` has 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.keyLength("a symmetric key", expected: Self.byteCount, got: bytes.count)
        }
        self.bytes = bytes
    }

    /// Creates a new random key.
    public static func random() -> SymmetricKey {
        // Force-try is safe: the length is the one the initialiser checks for.
        try! SymmetricKey(bytes: SecureRandom.bytes(count: byteCount))
    }

    /// Compares in constant time (`sodium_memcmp`).
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        lhs.bytes.withUnsafeBytes { l in
            rhs.bytes.withUnsafeBytes { r in sodium_memcmp(l.baseAddress, r.baseAddress, byteCount) == 0 }
        }
    }

    public var description: String { "SymmetricKey(redacted)" }
    public var debugDescription: String { description }
}
