internal import CSodium

/// X25519 keys for libsodium's `crypto_box` family, used to seal dataset keys to buyers.
public enum X25519 {
    /// An X25519 public key (32 bytes).
    public struct PublicKey: Sendable, Hashable {
        /// The key length in bytes.
        public static let byteCount = Int(crypto_box_PUBLICKEYBYTES)
        /// The raw key bytes.
        public let bytes: [UInt8]

        /// Wraps 32 raw public-key bytes.
        /// - Throws: ``CryptoError`` with code `invalidKeyLength` for any other length.
        public init(bytes: [UInt8]) throws {
            guard bytes.count == Self.byteCount else {
                throw CryptoError.keyLength("an X25519 public key", expected: Self.byteCount, got: bytes.count)
            }
            self.bytes = bytes
        }
    }

    /// An X25519 key pair. Its description is redacted.
    public struct KeyPair: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The public half.
        public let publicKey: PublicKey
        /// The 32-byte secret scalar. Never log it.
        public let secretKey: [UInt8]

        /// Creates a new random key pair.
        public init() {
            Sodium.ensureInitialised()
            var publicKey = [UInt8](repeating: 0, count: PublicKey.byteCount)
            var secretKey = [UInt8](repeating: 0, count: Int(crypto_box_SECRETKEYBYTES))
            crypto_box_keypair(&publicKey, &secretKey)
            // Force-try is safe: libsodium wrote exactly byteCount bytes.
            self.publicKey = try! PublicKey(bytes: publicKey)
            self.secretKey = secretKey
        }

        /// Rebuilds a key pair from its secret key; the public key is recomputed.
        /// - Throws: ``CryptoError`` with code `invalidKeyLength` unless `secretKey` has 32 bytes.
        public init(secretKey: [UInt8]) throws {
            Sodium.ensureInitialised()
            guard secretKey.count == Int(crypto_box_SECRETKEYBYTES) else {
                throw CryptoError.keyLength(
                    "an X25519 secret key", expected: Int(crypto_box_SECRETKEYBYTES), got: secretKey.count
                )
            }
            var publicKey = [UInt8](repeating: 0, count: PublicKey.byteCount)
            crypto_scalarmult_base(&publicKey, secretKey)
            self.publicKey = try PublicKey(bytes: publicKey)
            self.secretKey = secretKey
        }

        public var description: String { "X25519.KeyPair(public: \(publicKey.bytes.hexString), secret: redacted)" }
        public var debugDescription: String { description }
    }
}
