public import Ledger
public import LightboxCrypto

/// A listing's public card: what search returns and a listing's page starts with. The ledger's record is the
/// authority for owner, price and state; the card adds the publication's words and the QA summary.
public struct ListingCard: Sendable, Codable, Equatable {
    public let listingID: UInt64
    public let publicationID: String
    public private(set) var owner: EthereumAddress
    public let title: String
    public let description: String
    public let task: String
    public let labels: [String]
    public let images: Int
    public let annotations: Int
    public let score: Int
    /// Price in tokens (decimal string) and in base units.
    public private(set) var price: String
    public private(set) var priceUnits: String
    public let royaltyBps: UInt64
    public let terms: LicenceTerms
    public let termsHash: String
    public let contentRoot: String
    public let manifestCID: String
    public let reportCID: String
    public let mintedAt: UInt64
    /// CIDs of the public preview thumbnails (JPEG), served at `/v1/listings/{id}/previews/{n}` and by the gateway.
    public let previews: [String]?

    enum CodingKeys: String, CodingKey {
        case owner, title, description, task, labels, images, annotations, score, price, terms, previews
        case listingID = "listing_id"
        case publicationID = "publication_id"
        case priceUnits = "price_units"
        case royaltyBps = "royalty_bps"
        case termsHash = "terms_hash"
        case contentRoot = "content_root"
        case manifestCID = "manifest_cid"
        case reportCID = "report_cid"
        case mintedAt = "minted_at"
    }

    public init(listing: ListingRecord, publication: Publication) {
        listingID = listing.id
        publicationID = publication.id
        owner = listing.owner
        title = publication.metadata.title
        description = publication.metadata.description
        task = publication.metadata.task
        labels = publication.report?.labels ?? []
        images = publication.report?.images ?? 0
        annotations = publication.report?.annotations ?? 0
        score = Int(listing.score)
        price = listing.price.tokenString
        priceUnits = listing.price.description
        royaltyBps = UInt64(listing.royalty.value)
        terms = listing.terms
        termsHash = listing.termsHash.hexString
        contentRoot = listing.contentRoot
        manifestCID = listing.manifestCID
        reportCID = listing.reportCID
        mintedAt = listing.mintedAt
        previews = publication.previews
    }

    /// The card with the owner and price the ledger's record has now.
    func updated(from listing: ListingRecord) -> ListingCard {
        var card = self
        card.owner = listing.owner
        card.price = listing.price.tokenString
        card.priceUnits = listing.price.description
        return card
    }

    /// The words text search matches: lower-case runs of letters and digits from the title, description, task
    /// and labels.
    var searchWords: Set<String> { Self.words(title + " " + description + " " + task + " " + labels.joined(separator: " ")) }

    static func words(_ text: String) -> Set<String> {
        var words = Set<String>()
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                if current.count >= 2 { words.insert(String(current.prefix(64))) }
                current = ""
            }
        }
        if current.count >= 2 { words.insert(String(current.prefix(64))) }
        return words
    }
}
