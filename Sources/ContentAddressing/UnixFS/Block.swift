/// A block: bytes and the CID that names them.
public struct Block: Sendable, Equatable {
    public let cid: CID
    public let bytes: [UInt8]

    /// A block whose CID was just computed from its bytes.
    public init(cid: CID, bytes: [UInt8]) {
        self.cid = cid
        self.bytes = bytes
    }

    /// A block received from elsewhere, checked against the CID it claims.
    /// Any codec is accepted here (its hash is what is checked); walking a block needs raw or dag-pb.
    /// - Throws: `.hashMismatch` when the bytes do not hash to `cid`, `.blockTooLarge` above 2 MiB.
    public init(verifying bytes: [UInt8], as cid: CID) throws(ContentAddressingError) {
        guard bytes.count <= Block.maxByteCount else {
            throw ContentAddressingError(
                .blockTooLarge, "block \(cid) is \(bytes.count) bytes; IPFS blocks are at most \(Block.maxByteCount)")
        }
        guard cid.verifies(bytes) else {
            throw ContentAddressingError(.hashMismatch, "the bytes received for \(cid) do not hash to it")
        }
        self.init(cid: cid, bytes: bytes)
    }

    /// The largest block IPFS nodes exchange (Bitswap's limit, 2 MiB).
    public static let maxByteCount = 2 * 1024 * 1024
}

/// Where an importer or a CAR reader puts the blocks it produces.
public protocol BlockSink: AnyObject {
    /// Stores one block; called once per block, children before the nodes that link to them.
    func put(_ block: Block) throws
    /// Whether it keeps the blocks' bytes; a sink that does not is given leaves without them, so a file's bytes
    /// are hashed where they lie and never copied.
    var keepsBlocks: Bool { get }
}

extension BlockSink {
    public var keepsBlocks: Bool { true }
}

/// A sink that keeps nothing: only the root CID is wanted (`--only-hash`).
public final class DiscardingBlockSink: BlockSink {
    public init() {}
    public func put(_ block: Block) {}
    public var keepsBlocks: Bool { false }
}

/// A sink that keeps every block in memory, in arrival order (tests and small DAGs).
public final class MemoryBlockSink: BlockSink {
    public private(set) var blocks: [Block] = []
    public init() {}
    public func put(_ block: Block) { blocks.append(block) }
    /// The block with `cid`, if stored.
    public func block(_ cid: CID) -> Block? { blocks.first { $0.cid.multihash == cid.multihash } }
}
