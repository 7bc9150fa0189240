/// The UnixFS `Data` message carried in a dag-pb node's data.
///
/// Fields are written in field order, `blocksizes` unpacked (each with its own tag), as Kubo writes them.
public struct UnixFSData: Sendable, Equatable {
    /// What the node is.
    public enum Kind: UInt64, Sendable {
        case raw = 0, directory = 1, file = 2, metadata = 3, symlink = 4, hamtShard = 5
    }

    public var kind: Kind
    /// File bytes (leaf), symlink target, or HAMT occupancy bitfield.
    public var data: [UInt8]
    /// The file's total size (written for file and raw nodes).
    public var fileSize: UInt64?
    /// The data size of each child, in link order.
    public var blockSizes: [UInt64]
    /// HAMT hash function (0x22, murmur3-x64-64).
    public var hashType: UInt64?
    /// HAMT fan-out (256).
    public var fanout: UInt64?

    public init(
        kind: Kind, data: [UInt8] = [], fileSize: UInt64? = nil, blockSizes: [UInt64] = [],
        hashType: UInt64? = nil, fanout: UInt64? = nil
    ) {
        self.kind = kind
        self.data = data
        self.fileSize = fileSize
        self.blockSizes = blockSizes
        self.hashType = hashType
        self.fanout = fanout
    }

    /// The encoded message.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(data.count + blockSizes.count * 5 + 12)
        Protobuf.appendVarintField(1, kind.rawValue, to: &out)
        if !data.isEmpty { Protobuf.appendBytesField(2, data, to: &out) }
        if let fileSize { Protobuf.appendVarintField(3, fileSize, to: &out) }
        for size in blockSizes { Protobuf.appendVarintField(4, size, to: &out) }
        if let hashType { Protobuf.appendVarintField(5, hashType, to: &out) }
        if let fanout { Protobuf.appendVarintField(6, fanout, to: &out) }
        return out
    }

    /// Decodes a UnixFS message; mode and mtime are accepted and ignored.
    public init(decoding bytes: [UInt8]) throws(ContentAddressingError) {
        var reader = Protobuf.Reader(bytes[...], what: "a UnixFS node")
        var kind: Kind?
        self.data = []
        self.blockSizes = []
        while let field = try reader.next() {
            let what = "a UnixFS node"
            switch field.number {
            case 1:
                let raw = try field.varint(in: what)
                guard let value = Kind(rawValue: raw) else {
                    throw ContentAddressingError(.invalidNode, "UnixFS node type \(raw) is not defined")
                }
                kind = value
            case 2: data = Array(try field.bytes(in: what))
            case 3: fileSize = try field.varint(in: what)
            case 4:
                switch field.value {
                case .varint(let size): blockSizes.append(size)
                case .bytes(let packed):
                    var offset = packed.startIndex
                    while offset < packed.endIndex { blockSizes.append(try Varint.decode(packed, at: &offset)) }
                }
            case 5: hashType = try field.varint(in: what)
            case 6: fanout = try field.varint(in: what)
            case 7, 8: continue
            default: throw ContentAddressingError(.invalidNode, "a UnixFS node has unknown field \(field.number)")
            }
        }
        guard let kind else { throw ContentAddressingError(.invalidNode, "a UnixFS node has no type") }
        self.kind = kind
    }
}
