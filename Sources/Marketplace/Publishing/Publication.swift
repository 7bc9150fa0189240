public import Ledger
public import LightboxCrypto

/// A dataset on its way from an upload to an active listing, with each step's times and errors.
///
///     checking ─▶ preparing ─▶ awaiting_signature ─▶ minting ─▶ active
///        │                                              │
///        ▼                                              ▼
///     rejected (the report failed the policy)        failed (the ledger refused; sign again)
public struct Publication: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case checking, rejected, preparing
        case awaitingSignature = "awaiting_signature"
        case minting, active, failed
    }

    /// One step of the pipeline as its owner sees it.
    public struct Step: Sendable, Codable, Equatable {
        public let name: String
        public var startedAt: Int64?
        public var finishedAt: Int64?
        public var attempts: Int
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case name, attempts, error
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    /// The quality report in short; the whole report is at `/v1/publications/{id}/report`.
    public struct ReportSummary: Sendable, Codable, Equatable {
        public var score: Int
        public var passed: Bool
        public var errors: Int
        public var warnings: Int
        public var infos: Int
        public var images: Int
        public var annotations: Int
        public var labels: [String]
        public var sha256: String
        public var cid: String
        public var format: String
        public var contactSheets: [String]

        enum CodingKeys: String, CodingKey {
            case score, passed, errors, warnings, infos, images, annotations, labels, sha256, cid, format
            case contactSheets = "contact_sheets"
        }
    }

    public let id: String
    public let owner: EthereumAddress
    public let uploadID: String
    public var state: State
    public var metadata: ListingMetadata
    public var steps: [Step]
    public var report: ReportSummary?
    public var attestation: QAAttestation?
    public var contentRoot: String?
    public var pinnedTo: [String]
    /// CIDs of the public preview thumbnails (JPEG), once the dataset passed its check.
    public var previews: [String]?
    public var listingID: UInt64?
    public var error: String?
    public let createdAt: Int64
    public var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, owner, state, metadata, steps, report, attestation, error, previews
        case uploadID = "upload_id"
        case contentRoot = "content_root"
        case pinnedTo = "pinned_to"
        case listingID = "listing_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The step named `name`, created when missing.
    mutating func step(_ name: String, _ change: (inout Step) -> Void) {
        if let index = steps.firstIndex(where: { $0.name == name }) {
            change(&steps[index])
        } else {
            var step = Step(name: name, attempts: 0)
            change(&step)
            steps.append(step)
        }
    }

    /// The Mint request the owner signs, once the dataset is stored.
    public var mintRequest: LedgerAction.MintRequest? {
        guard let attestation, let contentRoot, let royalty = try? BasisPoints(metadata.royaltyBps) else { return nil }
        return LedgerAction.MintRequest(
            contentRoot: contentRoot, attestation: attestation, terms: metadata.terms, price: metadata.amount, royalty: royalty)
    }
}

/// The payload of a job about one publication.
public struct PublicationJobPayload: Codable, Sendable {
    public let publication: String
}
