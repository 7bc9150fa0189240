internal import CSecp256k1

/// secp256k1 keys and recoverable ECDSA signatures through libsecp256k1, as Ethereum uses them.
///
/// Signing is deterministic (RFC 6979) and always low-s (EIP-2); a signature carries its recovery id, so the
/// signer's public key — and address — can be recovered from it and the digest.
public enum Secp256k1 {
    /// A secret key: 32 bytes, a scalar in [1, n−1].
    public struct PrivateKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The raw key bytes; never log them.
        public let bytes: [UInt8]

        /// Wraps 32 secret-key bytes.
        /// - Throws: ``CryptoError`` `.invalidKeyLength` for a wrong length, `.invalidInput` for 0 or ≥ the group order.
        public init(bytes: [UInt8]) throws {
            guard bytes.count == 32 else { throw CryptoError.keyLength("a secp256k1 private key", expected: 32, got: bytes.count) }
            guard secp256k1_ec_seckey_verify(Context.shared.pointer, bytes) == 1 else {
                throw CryptoError(.invalidInput, "the bytes are not a valid secp256k1 private key (zero or not below the group order)")
            }
            self.bytes = bytes
        }

        /// A new random key.
        public static func random() -> PrivateKey {
            while true {
                if let key = try? PrivateKey(bytes: SecureRandom.bytes(count: 32)) { return key }
            }
        }

        /// The public key.
        public var publicKey: PublicKey {
            var point = secp256k1_pubkey()
            precondition(secp256k1_ec_pubkey_create(Context.shared.pointer, &point, bytes) == 1, "validated key rejected")
            return PublicKey(point)
        }

        /// Signs a 32-byte digest (for Ethereum, a Keccak-256 hash).
        /// - Throws: ``CryptoError`` `.invalidInput` when the digest is not 32 bytes.
        public func sign(digest: [UInt8]) throws -> RecoverableSignature {
            guard digest.count == 32 else { throw CryptoError(.invalidInput, "a digest to sign must be 32 bytes, got \(digest.count)") }
            var signature = secp256k1_ecdsa_recoverable_signature()
            guard secp256k1_ecdsa_sign_recoverable(Context.shared.pointer, &signature, digest, bytes, nil, nil) == 1 else {
                throw CryptoError(.invalidInput, "libsecp256k1 could not sign")
            }
            var compact = [UInt8](repeating: 0, count: 64)
            var recoveryID: Int32 = 0
            secp256k1_ecdsa_recoverable_signature_serialize_compact(Context.shared.pointer, &compact, &recoveryID, &signature)
            return RecoverableSignature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), recoveryID: UInt8(recoveryID))
        }

        public var description: String { "Secp256k1.PrivateKey(redacted)" }
        public var debugDescription: String { description }
    }

    /// A public key (a curve point).
    public struct PublicKey: Sendable, Hashable {
        /// The 64-byte uncompressed form without its 0x04 prefix: X ‖ Y, as Ethereum hashes it.
        public let rawXY: [UInt8]

        fileprivate init(_ point: secp256k1_pubkey) {
            var point = point
            var serialized = [UInt8](repeating: 0, count: 65)
            var length = 65
            secp256k1_ec_pubkey_serialize(Context.shared.pointer, &serialized, &length, &point, UInt32(SECP256K1_EC_UNCOMPRESSED))
            rawXY = Array(serialized[1...])
        }

        /// Parses a 33-byte compressed or 65-byte uncompressed public key.
        public init(serialized: [UInt8]) throws {
            var point = secp256k1_pubkey()
            guard secp256k1_ec_pubkey_parse(Context.shared.pointer, &point, serialized, serialized.count) == 1 else {
                throw CryptoError(.invalidInput, "the bytes are not a secp256k1 public key")
            }
            self.init(point)
        }
    }

    /// An ECDSA signature with its recovery id: r, s (low-s) and v ∈ {0, 1}.
    public struct RecoverableSignature: Sendable, Equatable {
        public let r: [UInt8]
        public let s: [UInt8]
        /// The recovery id (Ethereum's yParity); `v` is 27 + this in personal_sign and EIP-712 signatures.
        public let recoveryID: UInt8

        public init(r: [UInt8], s: [UInt8], recoveryID: UInt8) {
            self.r = r
            self.s = s
            self.recoveryID = recoveryID
        }

        /// The 65-byte form wallets produce: r ‖ s ‖ v with v = 27 + recovery id.
        public var ethereumBytes: [UInt8] { r + s + [27 + recoveryID] }

        /// Parses r ‖ s ‖ v, with v as 0/1 or 27/28.
        /// - Throws: ``CryptoError`` `.invalidSignature` for another length or v.
        public init(ethereumBytes bytes: [UInt8]) throws {
            guard bytes.count == 65 else {
                throw CryptoError(.invalidSignature, "a signature must be 65 bytes (r, s, v), got \(bytes.count)")
            }
            let v = bytes[64]
            guard v == 0 || v == 1 || v == 27 || v == 28 else {
                throw CryptoError(.invalidSignature, "signature v must be 27 or 28 (or 0 or 1), got \(v)")
            }
            self.init(r: Array(bytes[0..<32]), s: Array(bytes[32..<64]), recoveryID: v >= 27 ? v - 27 : v)
        }

        /// The public key that produced this signature over `digest`.
        /// - Throws: ``CryptoError`` `.invalidSignature` when no key can be recovered, or s is high (EIP-2).
        public func recoverPublicKey(digest: [UInt8]) throws -> PublicKey {
            guard digest.count == 32, r.count == 32, s.count == 32, recoveryID <= 1 else {
                throw CryptoError(.invalidSignature, "a signature needs 32-byte r and s, a 0/1 recovery id and a 32-byte digest")
            }
            guard s.lexicographicallyPrecedes(Secp256k1.halfOrder) || s == Secp256k1.halfOrder else {
                throw CryptoError(.invalidSignature, "the signature's s is in the upper half of the curve order (EIP-2 forbids it)")
            }
            var signature = secp256k1_ecdsa_recoverable_signature()
            guard secp256k1_ecdsa_recoverable_signature_parse_compact(Context.shared.pointer, &signature, r + s, Int32(recoveryID)) == 1
            else { throw CryptoError(.invalidSignature, "the signature's r or s is out of range") }
            var point = secp256k1_pubkey()
            guard secp256k1_ecdsa_recover(Context.shared.pointer, &point, &signature, digest) == 1 else {
                throw CryptoError(.invalidSignature, "no public key can be recovered from this signature")
            }
            return PublicKey(point)
        }
    }

    /// n / 2, the largest s a low-s signature may have.
    static let halfOrder: [UInt8] = [UInt8](hexString: "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")!

    /// One libsecp256k1 context for the process, randomised against side channels when created.
    /// `@unchecked Sendable`: after creation and randomisation the context is only read, which libsecp256k1
    /// documents as safe from several threads at once.
    final class Context: @unchecked Sendable {
        static let shared = Context()
        let pointer: OpaquePointer

        private init() {
            pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
            let seed = SecureRandom.bytes(count: 32)
            _ = secp256k1_context_randomize(pointer, seed)
        }

        deinit { secp256k1_context_destroy(pointer) }
    }
}
