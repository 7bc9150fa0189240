/// The log, its checkpoints and proofs, read from the database.
extension EmbeddedLedger {
    /// The number of entries, genesis included.
    public nonisolated func size() async throws -> UInt64 { try await store.size() }

    /// The root hash of the whole log, as its latest checkpoint signed it.
    public nonisolated func rootHash() async throws -> [UInt8] {
        guard let latest = try await store.latestCheckpoint() else { throw LedgerError(.notInitialised, "the ledger has no checkpoint yet") }
        return latest.root
    }

    /// The latest checkpoint, as a signed note.
    public nonisolated func head() async throws -> String {
        guard let latest = try await store.latestCheckpoint() else { throw LedgerError(.notInitialised, "the ledger has no checkpoint yet") }
        return latest.note
    }

    /// Entry `index`'s leaf bytes, exactly as hashed.
    /// - Throws: ``LedgerError`` `.unknown` past the end of the log.
    public nonisolated func entry(_ index: UInt64) async throws -> [UInt8] {
        if let row = try await store.leaf(index) { return row.leaf }
        let size = try await size()
        throw LedgerError(.unknown, "the log has entries 0 to \(size - 1); there is no entry \(index)")
    }

    /// An inclusion proof of entry `index` in the tree of the first `treeSize` entries (default: all).
    public nonisolated func inclusionProof(index: UInt64, treeSize: UInt64? = nil) async throws -> InclusionProof {
        try await proofs(of: [index], treeSize: treeSize)[index]!
    }

    /// Entries' leaf bytes by index, in one query.
    /// - Throws: ``LedgerError`` `.unknown` when one is past the end of the log.
    public nonisolated func entries(_ indices: [UInt64]) async throws -> [UInt64: [UInt8]] {
        let found = try await store.leaves(indices)
        if let missing = indices.first(where: { found[$0] == nil }) { _ = try await entry(missing) }
        return found
    }

    /// Inclusion proofs of `indices` in the tree of the first `treeSize` entries, from one read of the tree's
    /// stored subtrees.
    public nonisolated func inclusionProofs(indices: [UInt64], treeSize: UInt64) async throws -> [UInt64: InclusionProof] {
        guard !indices.isEmpty else { return [:] }
        return try await proofs(of: indices, treeSize: treeSize)
    }

    /// Proofs of `indices` in the tree of the first `treeSize` entries (nil: all), from one read of its subtrees.
    private nonisolated func proofs(of indices: [UInt64], treeSize: UInt64?) async throws -> [UInt64: InclusionProof] {
        let size = try await size()
        let treeSize = treeSize ?? size
        guard treeSize <= size else { throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(treeSize)") }
        if let outside = indices.first(where: { $0 >= treeSize }) {
            throw LedgerError(.invalidProofRequest, "entry \(outside) is not in a tree of \(treeSize) entries")
        }
        let count = Int(treeSize)
        let nodes = try await fetch { node in
            for index in indices {
                _ = try node(0, Int(index))
                _ = try MerkleTree.inclusionProof(index: Int(index), size: count, node: node)
            }
        }
        var proofs: [UInt64: InclusionProof] = [:]
        for index in indices {
            let path = try MerkleTree.inclusionProof(index: Int(index), size: count, node: nodes)
            proofs[index] = InclusionProof(index: index, treeSize: treeSize, leafHash: try nodes(0, Int(index)), path: path)
        }
        return proofs
    }

    /// A consistency proof between the trees of the first `from` and the first `to` entries.
    public nonisolated func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        let size = try await size()
        guard to <= size else { throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(to)") }
        guard from <= to else { throw LedgerError(.invalidProofRequest, "a tree of \(from) entries is not a prefix of one of \(to)") }
        let (old, new) = (Int(from), Int(to))
        let nodes = try await fetch { _ = try MerkleTree.consistencyProof(oldSize: old, size: new, node: $0) }
        return try MerkleTree.consistencyProof(oldSize: old, size: new, node: nodes)
    }

    /// The root hash of the tree of the first `treeSize` entries.
    public nonisolated func rootHash(treeSize: UInt64) async throws -> [UInt8] {
        let size = try await size()
        guard treeSize <= size else { throw LedgerError(.invalidProofRequest, "the log has \(size) entries, not \(treeSize)") }
        let nodes = try await fetch { _ = try MerkleTree.root(size: Int(treeSize), node: $0) }
        return try MerkleTree.root(size: Int(treeSize), node: nodes)
    }

    /// Fetches, in one query, every stored subtree `body` reads, and returns them as a node source.
    private nonisolated func fetch(_ body: (MerkleTree.NodeSource) throws -> Void) async throws -> MerkleTree.NodeSource {
        let fetched = try await store.nodes(try MerkleTree.subtreesRead(body))
        return { level, index in
            guard let hash = fetched[LedgerStore.nodeKey(level: level, index: index)] else {
                throw LedgerError(.tampered, "the stored tree lacks subtree \(level)/\(index)")
            }
            return hash
        }
    }
}
