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
