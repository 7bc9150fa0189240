internal import CSodium

/// Ed25519 signatures (RFC 8032) through libsodium's `crypto_sign_*`.
public enum Ed25519 {
    /// An Ed25519 public key (32 bytes).
    public struct PublicKey: Sendable, Hashable {
        /// The key length in bytes.
        public static let byteCount = Int(crypto_sign_PUBLICKEYBYTES)
        /// The raw key bytes.
        public let bytes: [UInt8]

        /// Wraps 32 raw public-key bytes.
        /// - Throws: ``CryptoError`` with code `invalidKeyLength` for any other length.
        public init(bytes: [UInt8]) throws {
            guard bytes.count == Self.byteCount else {
                throw CryptoError.keyLength("an Ed25519 public key", expected: Self.byteCount, got: bytes.count)
            }
            self.bytes = bytes
        }

        /// Checks `signature` over `message`.
        /// - Returns: `true` only for a valid signature by this key.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            Sodium.ensureInitialised()
            guard signature.count == Int(crypto_sign_BYTES) else { return false }
            return crypto_sign_verify_detached(signature, message, UInt64(message.count), bytes) == 0
        }

        /// Checks `signature` over `message`.
        /// - Throws: ``CryptoError`` with code `invalidSignature` when it does not verify.
        public func verify(_ signature: [UInt8], for message: [UInt8]) throws {
            guard isValidSignature(signature, for: message) else {
                throw CryptoError(.invalidSignature, "the Ed25519 signature does not match the message and key")
            }
        }
    }

    /// An Ed25519 private key, kept as its 32-byte seed. Its description is redacted.
    public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The seed length in bytes.
        public static let seedByteCount = Int(crypto_sign_SEEDBYTES)

        /// The 32-byte seed from which the key pair is derived (RFC 8032's private key).
        public let seed: [UInt8]
        /// The matching public key.
        public let publicKey: PublicKey
        private let expandedSecretKey: [UInt8]

        /// Creates a new random key.
        public init() {
            // Force-try is safe: SecureRandom returns exactly the seed length.
            try! self.init(seed: SecureRandom.bytes(count: Self.seedByteCount))
        }

        /// Derives the key pair from a 32-byte seed.
        /// - Throws: ``CryptoError`` with code `invalidKeyLength` for any other length.
        public init(seed: [UInt8]) throws {
            Sodium.ensureInitialised()
            guard seed.count == Self.seedByteCount else {
                throw CryptoError.keyLength("an Ed25519 seed", expected: Self.seedByteCount, got: seed.count)
            }
            var publicKey = [UInt8](repeating: 0, count: PublicKey.byteCount)
            var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
            crypto_sign_seed_keypair(&publicKey, &secretKey, seed)
            self.seed = seed
            self.publicKey = try PublicKey(bytes: publicKey)
            self.expandedSecretKey = secretKey
        }

        /// Signs `message` and returns the 64-byte detached signature.
        public func signature(for message: [UInt8]) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
            crypto_sign_detached(&signature, nil, message, UInt64(message.count), expandedSecretKey)
            return signature
        }

        public var description: String { "Ed25519.PrivateKey(redacted)" }
        public var debugDescription: String { description }
    }
}
