/// The multicodec of a block: how its bytes are to be read.
public struct Multicodec: Hashable, Sendable, CustomStringConvertible {
    /// The registered code.
    public let code: UInt64

    /// Wraps a code; `supported` tells whether Lightbox can walk blocks of it.
    public init(code: UInt64) { self.code = code }

    /// Opaque bytes (0x55): a raw UnixFS leaf.
    public static let raw = Multicodec(code: 0x55)
    /// Protobuf DAG nodes (0x70): UnixFS files, directories and HAMT shards.
    public static let dagPB = Multicodec(code: 0x70)
    /// DAG-CBOR (0x71): recognised in CIDs, not walked.
    public static let dagCBOR = Multicodec(code: 0x71)
    /// DAG-JSON (0x0129): recognised in CIDs, not walked.
    public static let dagJSON = Multicodec(code: 0x0129)

    /// Whether Lightbox can store, walk and serve blocks of this codec.
    public var isSupported: Bool { self == .raw || self == .dagPB }

    public var description: String {
        switch code {
        case 0x55: "raw"
        case 0x70: "dag-pb"
        case 0x71: "dag-cbor"
        case 0x0129: "dag-json"
        default: "0x" + String(code, radix: 16)
        }
    }
}
