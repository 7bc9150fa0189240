internal import CCrypto

/// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions where it has them.
///
/// Hashing is the limit of CID computation, so the fastest implementation on the machine is used rather than
/// libsodium's portable one.
public enum SHA256 {
    /// Bytes in a digest.
    public static let digestByteCount = 32

    /// The digest of a contiguous buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestByteCount) { digest, initialised in
            _ = CCrypto.SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, digest.baseAddress)
            initialised = digestByteCount
        }
    }

    /// The digest of a byte array.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}

extension SHA256 {
    /// An incremental SHA-256, for data that arrives in pieces (an upload streamed to disk).
    public final class Hasher {
        private let context: OpaquePointer

        public init() {
            context = EVP_MD_CTX_new()
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
        }

        deinit { EVP_MD_CTX_free(context) }

        /// Adds the next piece.
        public func update(_ bytes: UnsafeRawBufferPointer) {
            EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        }

        /// The digest of everything added; the hasher starts again empty.
        public func finalize() -> [UInt8] {
            let digest = [UInt8](unsafeUninitializedCapacity: SHA256.digestByteCount) { buffer, initialised in
                var length: UInt32 = 0
                EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
                initialised = Int(length)
            }
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
            return digest
        }
    }
}
