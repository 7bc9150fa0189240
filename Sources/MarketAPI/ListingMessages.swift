public import Marketplace

/// `GET /v1/listings/{id}`: the card, its provenance, its QA report in short (when the node has the report) and
/// its licence in words.
public struct ListingResponse: Codable, Sendable {
    public let listing: ListingCard
    public let provenance: ListingProvenance
    public let quality: QualitySummary?
    public let licence: LicenceWords

    public init(listing: ListingCard, provenance: ListingProvenance, quality: QualitySummary?, licence: LicenceWords) {
        self.listing = listing
        self.provenance = provenance
        self.quality = quality
        self.licence = licence
    }
}

/// `GET /v1/listings/{id}/card`: the card and its licence in words, without the provenance: what a buyer signs a
/// purchase from (the price and the terms' hash), in one read.
public struct ListingCardResponse: Codable, Sendable {
    public let listing: ListingCard
    public let licence: LicenceWords

    public init(listing: ListingCard, licence: LicenceWords) {
        self.listing = listing
        self.licence = licence
    }
}
