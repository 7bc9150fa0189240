import LightboxCrypto

/// A self-describing hash: the hash function's code and the digest.
public struct Multihash: Hashable, Sendable {
    /// The hash function.
    public let code: UInt64
    /// The digest bytes.
    public let digest: [UInt8]

    /// sha2-256, the hash of every CID Lightbox makes.
    public static let sha256Code: UInt64 = 0x12
    /// identity: the "digest" is the data itself (inlined CIDs such as `bafkqaaa`).
    public static let identityCode: UInt64 = 0x00
    /// Largest identity digest accepted, so an inlined CID cannot smuggle a large block.
    public static let maxIdentityByteCount = 128

    /// A multihash from its parts.
    /// - Throws: `.unsupportedHash` for a hash function other than sha2-256 or identity, `.invalidCID` for a
    ///   digest of the wrong length.
    public init(code: UInt64, digest: [UInt8]) throws(ContentAddressingError) {
        switch code {
        case Self.sha256Code:
            guard digest.count == SHA256.digestByteCount else {
                throw ContentAddressingError(.invalidCID, "a sha2-256 digest must be 32 bytes, got \(digest.count)")
            }
        case Self.identityCode:
            guard digest.count <= Self.maxIdentityByteCount else {
                throw ContentAddressingError(
                    .invalidCID, "an identity multihash holds at most \(Self.maxIdentityByteCount) bytes")
            }
        default:
            throw ContentAddressingError(
                .unsupportedHash,
                "hash function 0x\(String(code, radix: 16)) is not supported; Lightbox verifies sha2-256 (0x12) only")
        }
        self.code = code
        self.digest = digest
    }

    /// The sha2-256 multihash of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> Multihash {
        try! Multihash(code: sha256Code, digest: SHA256.hash(bytes))
    }

    /// The sha2-256 multihash of a buffer.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> Multihash {
        try! Multihash(code: sha256Code, digest: SHA256.hash(bytes))
    }

    /// Whether `bytes` are what this multihash names.
    public func matches(_ bytes: [UInt8]) -> Bool {
        switch code {
        case Self.identityCode: bytes == digest
        default: SHA256.hash(bytes) == digest
        }
    }

    /// The binary form: `varint(code) ‖ varint(length) ‖ digest`.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(digest.count + 2)
        Varint.append(code, to: &out)
        Varint.append(UInt64(digest.count), to: &out)
        out.append(contentsOf: digest)
        return out
    }

    /// Reads a multihash at `offset`, advancing it.
    static func decode(_ bytes: ArraySlice<UInt8>, at offset: inout Int) throws(ContentAddressingError) -> Multihash {
        let code = try Varint.decode(bytes, at: &offset)
        let length = try Varint.decode(bytes, at: &offset)
        guard length <= UInt64(bytes.endIndex - offset) else {
            throw ContentAddressingError(.truncated, "the data ends inside a multihash digest")
        }
        let digest = Array(bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return try Multihash(code: code, digest: digest)
    }
}
