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
}

/// An inclusion proof as `lightbox ledger proof` prints it.
public struct InclusionProof: Sendable, Equatable {
    public let index: UInt64
    public let treeSize: UInt64
    public let leafHash: [UInt8]
    public let path: [[UInt8]]
}
