import LightboxCrypto

/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, same hashing as RFC 6962): leaf and node hashes,
/// the tree head, and inclusion and consistency proofs with their verification.
///
/// Functions take the leaf hashes (``leafHash(_:)`` of each entry) in log order.
public enum MerkleTree {
    /// `SHA-256(0x00 ‖ entry)`.
    public static func leafHash(_ entry: [UInt8]) -> [UInt8] { SHA256.hash([0x00] + entry) }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { SHA256.hash([0x01] + left + right) }

    /// The root of an empty tree: SHA-256 of nothing.
    public static let emptyRoot = SHA256.hash([UInt8]())

    /// MTH(D[n]): the root of the tree over `leaves`.
    public static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + largestPowerOfTwo(below: leaves.count)
            return nodeHash(root(leaves[..<split]), root(leaves[split...]))
        }
    }

    /// PATH(m, D[n]): the audit path proving leaf `index` is in the tree over `leaves`.
    /// - Throws: ``LedgerError`` `.invalidProofRequest` when `index` is outside the tree.
    public static func inclusionProof(index: Int, leaves: ArraySlice<[UInt8]>) throws(LedgerError) -> [[UInt8]] {
        guard index >= 0, index < leaves.count else {
            throw LedgerError(.invalidProofRequest, "leaf \(index) is not in a tree of \(leaves.count) entries")
        }
        return try! inclusionProof(index: index, size: leaves.count, node: perfectSubtrees(of: leaves))
    }

    /// PROOF(m, D[n]): the consistency proof between the tree of the first `oldSize` leaves and the tree of all.
    /// - Throws: ``LedgerError`` `.invalidProofRequest` unless 0 ≤ `oldSize` ≤ the number of leaves.
    public static func consistencyProof(oldSize: Int, leaves: ArraySlice<[UInt8]>) throws(LedgerError) -> [[UInt8]] {
        guard oldSize >= 0, oldSize <= leaves.count else {
            throw LedgerError(.invalidProofRequest, "a tree of \(oldSize) entries is not a prefix of one of \(leaves.count)")
        }
        return try! consistencyProof(oldSize: oldSize, size: leaves.count, node: perfectSubtrees(of: leaves))
    }

    /// The hashes of the perfect subtrees of `leaves`.
    static func perfectSubtrees(of leaves: ArraySlice<[UInt8]>) -> NodeSource {
        { level, index in
            let start = leaves.startIndex + index << level
            return root(leaves[start..<start + 1 << level])
        }
    }

    /// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        leafHash: [UInt8], index: Int, treeSize: Int, proof: [[UInt8]], root: [UInt8]
    ) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Verifies a consistency proof (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
