internal import LightboxCrypto

/// A content identifier: version, codec and multihash, as IPFS writes them.
///
/// - CIDv0 is the bare sha2-256 multihash of a dag-pb block, written in base58btc (`Qm…`, 46 characters).
/// - CIDv1 is `0x01 ‖ varint(codec) ‖ multihash`, written with a multibase prefix; Lightbox writes base32 (`b…`).
public struct CID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// 0 or 1.
    public let version: Int
    /// How the block's bytes are read.
    public let codec: Multicodec
    /// The hash of the block.
    public let multihash: Multihash
    /// The binary form (34 bytes for CIDv0, 36 for a sha2-256 CIDv1).
    public let bytes: [UInt8]

    /// A CIDv0: dag-pb with a sha2-256 multihash.
    public static func v0(_ multihash: Multihash) -> CID {
        CID(version: 0, codec: .dagPB, multihash: multihash, bytes: multihash.bytes)
    }

    /// A CIDv1 of any codec.
    public static func v1(_ codec: Multicodec, _ multihash: Multihash) -> CID {
        var bytes: [UInt8] = [0x01]
        Varint.append(codec.code, to: &bytes)
        bytes.append(contentsOf: multihash.bytes)
        return CID(version: 1, codec: codec, multihash: multihash, bytes: bytes)
    }

    private init(version: Int, codec: Multicodec, multihash: Multihash, bytes: [UInt8]) {
        self.version = version
        self.codec = codec
        self.multihash = multihash
        self.bytes = bytes
    }

    /// The longest CID text accepted: room for any supported hash with its prefixes in base16, and for an
    /// identity CID inlining up to 128 bytes (Kubo's limit) in base32.
    public static let maximumTextLength = 512

    /// Parses a CID's text form: CIDv0 base58btc, or CIDv1 in multibase `b`/`B` (base32), `z` (base58btc),
    /// `f`/`F` (base16).
    /// Text longer than ``maximumTextLength`` is refused before anything is decoded, so parsing costs at most a
    /// fixed amount whatever a client sends.
    /// - Throws: `.invalidCID`, `.invalidMultibase` or `.unsupportedHash`, saying which.
    public init(_ text: some StringProtocol) throws(ContentAddressingError) {
        let length = text.utf8.count
        guard length <= Self.maximumTextLength else {
            throw ContentAddressingError(
                .invalidCID, "'\(text.prefix(32))…' is \(length) characters long; a CID is at most \(Self.maximumTextLength)")
        }
        if length == 46 && text.hasPrefix("Qm") {
            guard let bytes = Base58.decode(text) else {
                throw ContentAddressingError(.invalidMultibase, "'\(text)' is not valid base58btc")
            }
            try self.init(bytes: bytes)
            return
        }
        guard let prefix = text.first else { throw ContentAddressingError(.invalidCID, "a CID cannot be empty") }
        let body = text.dropFirst()
        let decoded: [UInt8]?
        switch prefix {
        case "b", "B": decoded = Base32.decode(body)
        case "z": decoded = Base58.decode(body)
        case "f", "F": decoded = body.hasPrefix("0x") ? nil : [UInt8](hexString: String(body))
        default:
            throw ContentAddressingError(
                .invalidMultibase,
                "'\(text.prefix(64))' is not a CID: expected Qm… (CIDv0) or a multibase prefix b, z or f (CIDv1)")
        }
        guard let bytes = decoded else {
            throw ContentAddressingError(.invalidMultibase, "'\(text.prefix(64))' has a character its multibase does not allow")
        }
        try self.init(bytes: bytes)
    }

    /// Parses the binary form; all of `bytes` must be used.
    public init(bytes: [UInt8]) throws(ContentAddressingError) {
        var offset = 0
        try self.init(reading: bytes[...], at: &offset)
        guard offset == bytes.count else {
            throw ContentAddressingError(.invalidCID, "\(bytes.count - offset) bytes follow the CID")
        }
    }

    /// Reads a binary CID at `offset`, advancing it (as CAR sections and DAG-PB links hold them).
    public init(reading bytes: ArraySlice<UInt8>, at offset: inout Int) throws(ContentAddressingError) {
        let start = offset
        if bytes.endIndex - offset >= 2 && bytes[offset] == 0x12 && bytes[offset + 1] == 0x20 {
            let multihash = try Multihash.decode(bytes, at: &offset)
            self.init(version: 0, codec: .dagPB, multihash: multihash, bytes: Array(bytes[start..<offset]))
            return
        }
        let version = try Varint.decode(bytes, at: &offset)
        guard version == 1 else {
            throw ContentAddressingError(.invalidCID, "CID version \(version) is not defined; expected 0 or 1")
        }
        let codec = Multicodec(code: try Varint.decode(bytes, at: &offset))
        let multihash = try Multihash.decode(bytes, at: &offset)
        self.init(version: 1, codec: codec, multihash: multihash, bytes: Array(bytes[start..<offset]))
    }

    /// The text form: base58btc for CIDv0, multibase base32 for CIDv1.
    public var description: String {
        version == 0 ? Base58.encode(bytes) : "b" + Base32.encode(bytes)
    }

    /// The same block named by a CIDv1 (a CIDv0 becomes dag-pb CIDv1).
    public var v1: CID { version == 1 ? self : .v1(codec, multihash) }

    /// Whether the CID inlines its data (identity multihash).
    public var isIdentity: Bool { multihash.code == Multihash.identityCode }

    /// Throws unless Lightbox can store and walk blocks of this CID's codec.
    public func requireSupportedCodec() throws(ContentAddressingError) {
        guard codec.isSupported else {
            throw ContentAddressingError(
                .unsupportedCodec,
                "\(self) uses codec \(codec); Lightbox stores and serves raw (0x55) and dag-pb (0x70) blocks only")
        }
    }

    /// Whether `block` is what this CID names.
    public func verifies(_ block: [UInt8]) -> Bool { multihash.matches(block) }

    public static func < (lhs: CID, rhs: CID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    public static func == (lhs: CID, rhs: CID) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
