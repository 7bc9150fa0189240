/// A DAG-PB node: links to other blocks, then optional data (for UnixFS, a ``UnixFSData`` message).
///
/// Encoded as Kubo does: links before data, every link with its name (empty included) and its `Tsize`.
/// Leaving out an empty name is allowed by the spec but changes the CID, so it is always written.
public struct PBNode: Sendable, Equatable {
    /// The node's links, in the order they are encoded.
    public var links: [PBLink]
    /// The node's data, if any.
    public var data: [UInt8]?

    public init(links: [PBLink] = [], data: [UInt8]? = nil) {
        self.links = links
        self.data = data
    }

    /// The canonical encoding.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(links.count * 48 + (data?.count ?? 0) + 8)
        for link in links {
            var body = [UInt8]()
            body.reserveCapacity(link.cid.bytes.count + link.name.utf8.count + 16)
            Protobuf.appendBytesField(1, link.cid.bytes, to: &body)
            Protobuf.appendBytesField(2, Array(link.name.utf8), to: &body)
            Protobuf.appendVarintField(3, link.totalSize, to: &body)
            Protobuf.appendBytesField(2, body, to: &out)
        }
        if let data { Protobuf.appendBytesField(1, data, to: &out) }
        return out
    }

    /// Decodes a dag-pb block.
    /// - Throws: `.invalidNode` when the bytes are not a DAG-PB node.
    public init(decoding block: [UInt8]) throws(ContentAddressingError) {
        var reader = Protobuf.Reader(block[...], what: "a dag-pb node")
        var links = [PBLink]()
        var data: [UInt8]?
        while let field = try reader.next() {
            switch field.number {
            case 2:
                guard data == nil else {
                    throw ContentAddressingError(.invalidNode, "a dag-pb node has a link after its data")
                }
                links.append(try PBLink(decoding: try field.bytes(in: "a dag-pb node")))
            case 1:
                guard data == nil else { throw ContentAddressingError(.invalidNode, "a dag-pb node has data twice") }
                data = Array(try field.bytes(in: "a dag-pb node"))
            default:
                throw ContentAddressingError(.invalidNode, "a dag-pb node has unknown field \(field.number)")
            }
        }
        self.links = links
        self.data = data
    }
}

/// One DAG-PB link: the child's CID, its name in a directory, and the cumulative size of the child's DAG.
public struct PBLink: Sendable, Equatable {
    /// The child's CID.
    public var cid: CID
    /// The entry name (empty for file chunks).
    public var name: String
    /// `Tsize`: the child's encoded block plus everything below it (for a raw leaf, its length).
    public var totalSize: UInt64

    public init(cid: CID, name: String = "", totalSize: UInt64) {
        self.cid = cid
        self.name = name
        self.totalSize = totalSize
    }

    init(decoding bytes: ArraySlice<UInt8>) throws(ContentAddressingError) {
        var reader = Protobuf.Reader(bytes, what: "a dag-pb link")
        var cid: CID?
        var name = ""
        var totalSize: UInt64 = 0
        while let field = try reader.next() {
            switch field.number {
            case 1: cid = try CID(bytes: Array(try field.bytes(in: "a dag-pb link")))
            case 2:
                let raw = try field.bytes(in: "a dag-pb link")
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw ContentAddressingError(.invalidNode, "a dag-pb link name is not UTF-8")
                }
                name = text
            case 3: totalSize = try field.varint(in: "a dag-pb link")
            default: throw ContentAddressingError(.invalidNode, "a dag-pb link has unknown field \(field.number)")
            }
        }
        guard let cid else { throw ContentAddressingError(.invalidNode, "a dag-pb link has no hash") }
        self.init(cid: cid, name: name, totalSize: totalSize)
    }
}
