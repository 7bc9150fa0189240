public import Ledger
public import Marketplace

/// `POST /v1/publications`: an upload to publish, with its listing's words, price and licence (a template name or
/// explicit terms).
public struct CreatePublicationRequest: Codable, Sendable {
    public let uploadID: String
    public let title: String
    public let description: String?
    public let task: String
    public let price: String
    public let royaltyBps: UInt64?
    public let licence: String?
    public let terms: LicenceTerms?

    public init(
        uploadID: String, title: String, description: String?, task: String, price: String, royaltyBps: UInt64?,
        licence: String?, terms: LicenceTerms?
    ) {
        self.uploadID = uploadID
        self.title = title
        self.description = description
        self.task = task
        self.price = price
        self.royaltyBps = royaltyBps
        self.licence = licence
        self.terms = terms
    }

    enum CodingKeys: String, CodingKey {
        case title, description, task, price, licence, terms
        case uploadID = "upload_id"
        case royaltyBps = "royalty_bps"
    }
}

/// A publication, and while it waits for its owner's signature the unsigned Mint intent (and, the first time,
/// the approval of the node as the owner's operator), in the wire form `eth_signTypedData_v4` takes.
public struct PublicationResponse: Codable, Sendable {
    public let publication: Publication
    public let mintIntent: JSONValue?
    public let operatorIntent: JSONValue?

    public init(publication: Publication, mintIntent: JSONValue?, operatorIntent: JSONValue?) {
        self.publication = publication
        self.mintIntent = mintIntent
        self.operatorIntent = operatorIntent
    }

    enum CodingKeys: String, CodingKey {
        case publication
        case mintIntent = "mint_intent"
        case operatorIntent = "operator_intent"
    }
}
