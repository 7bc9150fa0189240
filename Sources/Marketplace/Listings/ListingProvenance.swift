public import Ledger
import LightboxCrypto

/// Where a listing comes from, for anyone to check: the ledger's record of it (owner, creator, price, content and
/// report CIDs, the signed QA attestation) and every ledger event about it, each with its inclusion proof in the
/// transparency log against the latest signed checkpoint (the embedded ledger) or with the transaction and block that
/// emitted it (a ledger on a chain).
public struct ListingProvenance: Sendable, Codable {
    public let owner: String
    public let creator: String
    public let price: String
    public let forSale: Bool
    public let contentRoot: String
    public let manifestCID: String
    public let reportCID: String
    public let reportSHA256: String
    public let score: UInt64
    public let attestationKey: String
    public let attestationSignature: String
    /// The signed checkpoint the proofs are against, its size and root (the embedded ledger).
    public var treeSize: UInt64?
    public var rootHash: String?
    public var checkpoint: String?
    /// The checkpoints' verifier key, `name+hash+base64key` (the embedded ledger).
    public var verifierKey: String?
    /// The chain the events are on (a ledger on a chain).
    public var chainID: UInt64?
    public var events: [Event]

    enum CodingKeys: String, CodingKey {
        case owner, creator, price, score, checkpoint, events
        case forSale = "for_sale"
        case contentRoot = "content_root"
        case manifestCID = "manifest_cid"
        case reportCID = "report_cid"
        case reportSHA256 = "report_sha256"
        case attestationKey = "attestation_key"
        case attestationSignature = "attestation_signature"
        case treeSize = "tree_size"
        case rootHash = "root_hash"
        case verifierKey = "verifier_key"
        case chainID = "chain_id"
    }

    public struct Event: Sendable, Codable {
        public let index: UInt64
        public let time: UInt64
        public let contract: String
        public let name: String
        public let fields: [String: String]
        /// The event's log entry, its leaf hash and its inclusion proof (the embedded ledger); nil for an event
        /// written after the checkpoint.
        public var leafHash: String?
        public var proof: [String]?
        /// The entry's bytes as the log hashed them, for a verifier to hash itself (kept out of the API's JSON).
        public var entry: [UInt8]? = nil
        /// The transaction and block that emitted it (a ledger on a chain).
        public let transaction: String?
        public let block: UInt64?

        enum CodingKeys: String, CodingKey {
            case index, time, contract, name, fields, proof, transaction, block
            case leafHash = "leaf_hash"
        }

        init(_ stored: StoredEvent) {
            index = stored.index
            time = stored.time
            contract = stored.event.contract
            name = stored.event.name
            fields = stored.event.fields
            transaction = stored.transaction.map { "0x" + $0.hexString }
            block = stored.block
        }
    }

    /// The listing's provenance; nil when the ledger has no such listing.
    /// - Parameter parts: Where entries and proofs already read are kept; with it, each event also carries its log
    ///   entry's bytes.
    static func load(_ id: UInt64, ledger: any LedgerBackend, parts: ProvenanceParts? = nil) async throws -> ListingProvenance? {
        guard let record = try await ledger.listing(id) else { return nil }
        var provenance = ListingProvenance(
            owner: record.owner.description, creator: record.creator.description, price: record.price.tokenString,
            forSale: record.isForSale, contentRoot: record.contentRoot, manifestCID: record.manifestCID,
            reportCID: record.reportCID, reportSHA256: record.reportHash.hexString, score: record.score,
            attestationKey: record.attestationKey.hexString, attestationSignature: record.attestationSignature.hexString,
            events: try await ledger.events(listing: id, account: nil, after: nil, limit: 1000).map(Event.init))
        guard let log = ledger.log else {
            provenance.chainID = ledger.parameters.chainID
            return provenance
        }
        // The proofs are against the latest signed checkpoint, read first: events written after it are shown
        // without a proof until the next checkpoint covers them.
        let (note, checkpoint) = try await log.signedCheckpoint()
        provenance.checkpoint = note
        provenance.treeSize = checkpoint.size
        provenance.rootHash = checkpoint.rootHash.hexString
        provenance.verifierKey = log.verifierKey
        // An entry often emits several events: each entry is proved (and read) once, all of them together.
        let indices = Array(Set(provenance.events.map(\.index).filter { $0 < checkpoint.size }))
        let proofs: [UInt64: InclusionProof]
        var entries: [UInt64: [UInt8]] = [:]
        if let parts {
            let keys = indices.map { ProvenanceParts.ProofKey(index: $0, size: checkpoint.size) }
            let known = try await parts.proofs.values(keys) { missing in
                let made = try await log.inclusionProofs(indices: missing.map(\.index), treeSize: checkpoint.size)
                return Dictionary(uniqueKeysWithValues: made.map { (ProvenanceParts.ProofKey(index: $0.key, size: checkpoint.size), $0.value) })
            }
            proofs = Dictionary(uniqueKeysWithValues: known.map { ($0.key.index, $0.value) })
            entries = try await parts.entries.values(indices) { try await log.entries($0) }
        } else {
            proofs = try await log.inclusionProofs(indices: indices, treeSize: checkpoint.size)
        }
        for position in provenance.events.indices {
            let index = provenance.events[position].index
            guard let proof = proofs[index] else { continue }
            provenance.events[position].leafHash = proof.leafHash.hexString
            provenance.events[position].proof = proof.path.map(\.hexString)
            provenance.events[position].entry = entries[index]
        }
        return provenance
    }
}

/// Log entries by index and inclusion proofs by index and tree size: neither ever changes once written.
final class ProvenanceParts: Sendable {
    struct ProofKey: Hashable, Sendable {
        let index: UInt64
        let size: UInt64
    }

    let entries = ImmutableCache<UInt64, [UInt8]>(capacity: 16_384)
    let proofs = ImmutableCache<ProofKey, InclusionProof>(capacity: 16_384)
}
