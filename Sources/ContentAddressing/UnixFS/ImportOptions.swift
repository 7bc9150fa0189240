import LightboxCrypto

/// How files and directories are turned into a UnixFS DAG; the defaults are Kubo's (`ipfs add`).
public struct ImportOptions: Sendable, Equatable {
    /// Largest chunk Kubo accepts (`size-N`, 2 MiB − 256), so every block stays under the 2 MiB exchange limit.
    public static let maxChunkSize = 2_096_896
    /// Kubo's default chunk size (`size-262144`).
    public static let defaultChunkSize = 262_144
    /// Kubo's default links per file node (8192 / 47, `helpers.DefaultLinksPerBlock`).
    public static let defaultMaxLinks = 174
    /// The directory size estimate above which Kubo shards a directory as a HAMT.
    public static let defaultShardingThreshold = 262_144

    /// 0 or 1.
    public var cidVersion: Int
    /// Leaves as raw blocks; `nil` means Kubo's default (raw for CIDv1, dag-pb for CIDv0).
    public var rawLeavesOverride: Bool?
    /// Bytes per leaf.
    public var chunkSize: Int
    /// Links per internal file node.
    public var maxLinks: Int
    /// Directories whose estimated size exceeds this become HAMT shards.
    public var shardingThreshold: Int
    /// Whether names starting with "." are imported (Kubo leaves them out by default).
    public var includeHidden: Bool

    public init(
        cidVersion: Int = 0, rawLeaves: Bool? = nil, chunkSize: Int = defaultChunkSize,
        maxLinks: Int = defaultMaxLinks, shardingThreshold: Int = defaultShardingThreshold, includeHidden: Bool = false
    ) throws(ContentAddressingError) {
        guard cidVersion == 0 || cidVersion == 1 else {
            throw ContentAddressingError(.invalidOption, "CID version must be 0 or 1, got \(cidVersion)")
        }
        guard (1...Self.maxChunkSize).contains(chunkSize) else {
            throw ContentAddressingError(
                .invalidOption, "chunk size must be 1 to \(Self.maxChunkSize) bytes, got \(chunkSize)")
        }
        guard (2...16_384).contains(maxLinks) else {
            throw ContentAddressingError(.invalidOption, "links per node must be 2 to 16384, got \(maxLinks)")
        }
        self.cidVersion = cidVersion
        self.rawLeavesOverride = rawLeaves
        self.chunkSize = chunkSize
        self.maxLinks = maxLinks
        self.shardingThreshold = shardingThreshold
        self.includeHidden = includeHidden
    }

    /// Kubo's defaults: CIDv0, 256 KiB chunks, 174 links, dag-pb leaves.
    public static let kuboDefault = try! ImportOptions()

    /// Whether leaves are raw blocks: as set, else raw exactly when the CID version is 1 (Kubo's rule).
    public var rawLeaves: Bool { rawLeavesOverride ?? (cidVersion == 1) }

    /// The CID of a dag-pb node under these options.
    func nodeCID(_ block: [UInt8]) -> CID {
        nodeCID(sha256: SHA256.hash(block))
    }

    /// The CID of a dag-pb node whose SHA-256 is `digest` (hashed in pieces, where the node's bytes lie).
    func nodeCID(sha256 digest: [UInt8]) -> CID {
        let multihash = try! Multihash(code: Multihash.sha256Code, digest: digest)
        return cidVersion == 0 ? .v0(multihash) : .v1(.dagPB, multihash)
    }
}
