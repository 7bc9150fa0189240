/// A block read as UnixFS: what it is and what it links to.
public struct UnixFSNode: Sendable {
    /// The block's kind.
    public enum Kind: Sendable, Equatable {
        /// A raw leaf: file bytes.
        case rawLeaf
        case file
        case directory
        case hamtShard
        case symlink
        /// Another UnixFS type (raw-in-dag-pb, metadata).
        case other
    }

    public let kind: Kind
    /// The node's links (none for raw leaves).
    public let links: [PBLink]
    /// The decoded UnixFS data (nil for raw leaves).
    public let unixfs: UnixFSData?
    /// The file bytes held in this block itself (leaf data).
    public let inlineBytes: ArraySlice<UInt8>

    /// Reads a raw or dag-pb block.
    /// - Throws: `.invalidNode` for a malformed node, `.unsupportedCodec` for other codecs.
    public init(_ block: Block) throws(ContentAddressingError) {
        if block.cid.codec == .raw {
            kind = .rawLeaf
            links = []
            unixfs = nil
            inlineBytes = block.bytes[...]
            return
        }
        try block.cid.requireSupportedCodec()
        let node = try PBNode(decoding: block.bytes)
        links = node.links
        guard let data = node.data else {
            throw ContentAddressingError(.invalidNode, "dag-pb block \(block.cid) has no UnixFS data")
        }
        let unixfs = try UnixFSData(decoding: data)
        self.unixfs = unixfs
        switch unixfs.kind {
        case .file, .raw:
            kind = .file
            inlineBytes = unixfs.data[...]
            guard unixfs.blockSizes.count == links.count else {
                throw ContentAddressingError(
                    .invalidNode, "file node \(block.cid) has \(links.count) links but \(unixfs.blockSizes.count) block sizes")
            }
            // The sizes come from whoever wrote the DAG: they must add up, without overflowing, to the file size.
            var total = UInt64(unixfs.data.count)
            for size in unixfs.blockSizes {
                let (sum, overflow) = total.addingReportingOverflow(size)
                guard !overflow else {
                    throw ContentAddressingError(.invalidNode, "file node \(block.cid) has block sizes that overflow")
                }
                total = sum
            }
            if let declared = unixfs.fileSize, declared != total {
                throw ContentAddressingError(
                    .invalidNode, "file node \(block.cid) says it holds \(declared) bytes but its parts add up to \(total)")
            }
        case .directory: kind = .directory; inlineBytes = []
        case .hamtShard:
            kind = .hamtShard
            inlineBytes = []
            guard unixfs.fanout == 256, unixfs.hashType == HAMTShardBuilder.hashType else {
                throw ContentAddressingError(.invalidNode, "HAMT shard \(block.cid) does not use fan-out 256 with murmur3")
            }
        case .symlink: kind = .symlink; inlineBytes = unixfs.data[...]
        case .metadata: kind = .other; inlineBytes = []
        }
    }

    /// The file's size in bytes (files and raw leaves).
    public var fileSize: UInt64 {
        switch kind {
        case .rawLeaf: UInt64(inlineBytes.count)
        case .file: unixfs?.blockSizes.reduce(UInt64(inlineBytes.count), +) ?? UInt64(inlineBytes.count)
        default: 0
        }
    }

    /// Whether a HAMT link points to a child shard (its name is only the two-digit bucket label).
    public static func isShardLink(_ link: PBLink) -> Bool { link.name.utf8.count == 2 }
}
