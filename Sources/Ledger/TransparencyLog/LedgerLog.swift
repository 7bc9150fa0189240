/// A ledger kept as an RFC 9162 transparency log with signed C2SP checkpoints: its entries, and the proofs that
/// let anyone check an entry's inclusion and the log's consistency against a checkpoint.
public protocol LedgerLog: Sendable {
    /// The verifier key of the checkpoints' signer (`name+hash+base64key`).
    var verifierKey: String { get }
    /// The number of entries, genesis included.
    func size() async throws -> UInt64
    /// The latest checkpoint, as a signed note.
    func head() async throws -> String
    /// Entry `index`'s leaf bytes, exactly as hashed.
    func entry(_ index: UInt64) async throws -> [UInt8]
    /// An inclusion proof of entry `index` in the tree of the first `treeSize` entries (nil: all).
    func inclusionProof(index: UInt64, treeSize: UInt64?) async throws -> InclusionProof
    /// A consistency proof between the trees of the first `from` and the first `to` entries.
    func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]]
    /// The root hash of the tree of the first `treeSize` entries.
    func rootHash(treeSize: UInt64) async throws -> [UInt8]
    /// Entries' leaf bytes by index, read together.
    func entries(_ indices: [UInt64]) async throws -> [UInt64: [UInt8]]
    /// Inclusion proofs of several entries in the tree of the first `treeSize` entries, made together.
    func inclusionProofs(indices: [UInt64], treeSize: UInt64) async throws -> [UInt64: InclusionProof]
}

extension LedgerLog {
    /// The latest checkpoint as a signed note and as what it says, its signature checked against the log's verifier key.
    public func signedCheckpoint() async throws -> (note: String, checkpoint: Checkpoint) {
        let note = try await head()
        return (note, try Checkpoint(text: try SignedNote.open(note, verifiers: [SignedNote.Verifier(verifierKey)]).text))
    }

    /// One entry at a time; a log that can read several at once does better.
    public func entries(_ indices: [UInt64]) async throws -> [UInt64: [UInt8]] {
        var found: [UInt64: [UInt8]] = [:]
        for index in indices { found[index] = try await entry(index) }
        return found
    }

    /// One proof at a time; a log that can read the tree's nodes for several at once does better.
    public func inclusionProofs(indices: [UInt64], treeSize: UInt64) async throws -> [UInt64: InclusionProof] {
        var proofs: [UInt64: InclusionProof] = [:]
        for index in indices { proofs[index] = try await inclusionProof(index: index, treeSize: treeSize) }
        return proofs
    }
}

/// An inclusion proof as `lightbox ledger proof` prints it.
public struct InclusionProof: Sendable, Equatable {
    public let index: UInt64
    public let treeSize: UInt64
    public let leafHash: [UInt8]
    public let path: [[UInt8]]
}
