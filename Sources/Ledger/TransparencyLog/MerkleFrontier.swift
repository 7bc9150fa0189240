/// The right edge of a growing RFC 9162 tree: the perfect subtrees that make up its current size, largest first.
/// Appending a leaf merges equal-sized subtrees and returns every subtree it completed, for storage.
struct MerkleFrontier: Sendable {
    private(set) var nodes: [(level: Int, index: Int, hash: [UInt8])] = []
    private(set) var size = 0

    init() {}

    /// Resumes a tree of `size` leaves from its frontier subtrees (``MerkleTree/frontier(size:)``).
    init(size: Int, nodes: [(level: Int, index: Int, hash: [UInt8])]) {
        self.size = size
        self.nodes = nodes
    }

    /// Appends a leaf; returns the leaf node and every subtree it completed.
    mutating func append(leafHash: [UInt8]) -> [(level: Int, index: Int, hash: [UInt8])] {
        var node = (level: 0, index: size, hash: leafHash)
        var completed = [node]
        while let last = nodes.last, last.level == node.level {
            nodes.removeLast()
            node = (node.level + 1, last.index / 2, MerkleTree.nodeHash(last.hash, node.hash))
            completed.append(node)
        }
        nodes.append(node)
        size += 1
        return completed
    }

    /// MTH of the tree so far.
    var root: [UInt8] {
        guard var root = nodes.last?.hash else { return MerkleTree.emptyRoot }
        for node in nodes.dropLast().reversed() { root = MerkleTree.nodeHash(node.hash, root) }
        return root
    }
}
