/// The tree head and proofs computed from stored subtree hashes rather than from every leaf.
///
/// A log stores the hash of each perfect subtree once it is complete: node (level, index) covers leaves
/// [index·2^level, (index+1)·2^level). Every range RFC 9162's recursions hash is such a subtree or ends at the tree
/// size, so a proof reads O(log n) stored hashes, whatever the log's size.
extension MerkleTree {
    /// The hash of the perfect subtree at (level, index).
    public typealias NodeSource = (_ level: Int, _ index: Int) throws -> [UInt8]

    /// MTH(D[size]).
    public static func root(size: Int, node: NodeSource) throws -> [UInt8] {
        try hash(0, size, node)
    }

    /// PATH(index, D[size]).
    public static func inclusionProof(index: Int, size: Int, node: NodeSource) throws -> [[UInt8]] {
        guard index >= 0, index < size else {
            throw LedgerError(.invalidProofRequest, "entry \(index) is not in a tree of \(size) entries")
        }
        return try path(index, 0, size, node)
    }

    /// PROOF(oldSize, D[size]).
    public static func consistencyProof(oldSize: Int, size: Int, node: NodeSource) throws -> [[UInt8]] {
        guard oldSize >= 0, oldSize <= size else {
            throw LedgerError(.invalidProofRequest, "a tree of \(oldSize) entries is not a prefix of one of \(size)")
        }
        guard oldSize > 0 else { return [] }
        return try subproof(oldSize, 0, size, complete: true, node)
    }

    /// The (level, index) of every stored subtree `body` reads, so they can be fetched in one go before the real
    /// computation. The computations read the same subtrees whatever their hashes are.
    public static func subtreesRead(_ body: (NodeSource) throws -> Void) throws -> [(level: Int, index: Int)] {
        var read: [(level: Int, index: Int)] = []
        try body { level, index in
            read.append((level, index))
            return [UInt8](repeating: 0, count: 32)
        }
        return read
    }

    /// The perfect subtrees that make up a tree of `size` leaves, largest first: its right edge.
    public static func frontier(size: Int) -> [(level: Int, index: Int)] {
        var nodes: [(level: Int, index: Int)] = []
        var start = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            nodes.append((level, start >> level))
            start += 1 << level
        }
        return nodes
    }

    /// MTH(D[start..<end]); `start` is a multiple of the largest power of two below the range's length.
    static func hash(_ start: Int, _ end: Int, _ node: NodeSource) throws -> [UInt8] {
        let count = end - start
        if count == 0 { return emptyRoot }
        if count & (count - 1) == 0 { return try node(count.trailingZeroBitCount, start >> count.trailingZeroBitCount) }
        let k = largestPowerOfTwo(below: count)
        return nodeHash(try hash(start, start + k, node), try hash(start + k, end, node))
    }

    private static func path(_ index: Int, _ start: Int, _ end: Int, _ node: NodeSource) throws -> [[UInt8]] {
        guard end - start > 1 else { return [] }
        let k = largestPowerOfTwo(below: end - start)
        if index < k { return try path(index, start, start + k, node) + [try hash(start + k, end, node)] }
        return try path(index - k, start + k, end, node) + [try hash(start, start + k, node)]
    }

    private static func subproof(_ m: Int, _ start: Int, _ end: Int, complete: Bool, _ node: NodeSource) throws -> [[UInt8]] {
        if m == end - start { return complete ? [] : [try hash(start, end, node)] }
        let k = largestPowerOfTwo(below: end - start)
        if m <= k { return try subproof(m, start, start + k, complete: complete, node) + [try hash(start + k, end, node)] }
        return try subproof(m - k, start + k, end, complete: false, node) + [try hash(start, start + k, node)]
    }
}
