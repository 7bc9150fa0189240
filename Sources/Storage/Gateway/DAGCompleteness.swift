public import ContentAddressing

/// Checks, block by block, that a stream delivers exactly the DAG wanted from a root.
///
/// Only blocks linked from blocks already accepted (starting at the root) are accepted; anything else is
/// ignored, so a gateway cannot slip unrelated data into the store. At the end, ``missing`` lists the blocks
/// the DAG needs that never arrived.
public struct DAGCompleteness {
    private let scope: DAGScope
    /// Wanted blocks by digest (a CIDv0 and a CIDv1 of the same bytes are one block).
    private var wanted: [[UInt8]: CID]
    private var received = Set<[UInt8]>()

    public init(root: CID, scope: DAGScope) {
        self.scope = scope
        self.wanted = [root.multihash.digest: root]
    }

    /// Whether `block` belongs to the DAG (and was not seen before); its links become wanted.
    public mutating func accept(_ block: Block) throws(ContentAddressingError) -> Bool {
        let digest = block.cid.multihash.digest
        guard let wantedCID = wanted.removeValue(forKey: digest) else { return false }
        received.insert(digest)
        guard scope != .block else { return true }
        // Read the block as the codec its parent named (a sender could label the same bytes differently).
        let node = try UnixFSNode(Block(cid: wantedCID, bytes: block.bytes))
        for link in childLinks(node) where !received.contains(link.cid.multihash.digest) {
            if !link.cid.isIdentity { wanted[link.cid.multihash.digest] = link.cid }
        }
        return true
    }

    /// Blocks the DAG needs that have not arrived.
    public var missing: [CID] { wanted.values.sorted() }

    private func childLinks(_ node: UnixFSNode) -> [PBLink] {
        switch scope {
        case .block: []
        case .all: node.links
        case .entity:
            switch node.kind {
            case .file, .rawLeaf: node.links
            case .hamtShard: node.links.filter(UnixFSNode.isShardLink)
            default: []
            }
        }
    }
}
