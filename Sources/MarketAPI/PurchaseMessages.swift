/// `POST /v1/intents` once applied: the log entry's index and time and the events the intent emitted.
public struct IntentReceipt: Codable, Sendable {
    public let index: UInt64
    public let time: UInt64
    public let events: [Event]

    public struct Event: Codable, Sendable {
        public let contract: String
        public let name: String
        public let fields: [String: String]

        public init(contract: String, name: String, fields: [String: String]) {
            self.contract = contract
            self.name = name
            self.fields = fields
        }
    }

    public init(index: UInt64, time: UInt64, events: [Event]) {
        self.index = index
        self.time = time
        self.events = events
    }

    /// The first event named `name`, if the intent emitted one.
    public func event(_ name: String) -> Event? { events.first { $0.name == name } }
}

/// `POST /v1/intents` kept to be relayed later (on a chain, while the node's account cannot pay for gas): 202.
public struct IntentQueued: Codable, Sendable {
    public let queued: Bool
    public let message: String
    public init(message: String) {
        queued = true
        self.message = message
    }
}

/// `GET /v1/purchases/{id}/key`: what the buyer needs to pull and decrypt the dataset.
public struct SealedKeyResponse: Codable, Sendable {
    public let purchaseID: UInt64
    public let listingID: UInt64
    public let datasetID: String
    public let contentRoot: String
    public let manifestCID: String
    public let sealedKey: String
    public let buyerKey: String

    public init(
        purchaseID: UInt64, listingID: UInt64, datasetID: String, contentRoot: String, manifestCID: String, sealedKey: String,
        buyerKey: String
    ) {
        self.purchaseID = purchaseID
        self.listingID = listingID
        self.datasetID = datasetID
        self.contentRoot = contentRoot
        self.manifestCID = manifestCID
        self.sealedKey = sealedKey
        self.buyerKey = buyerKey
    }

    enum CodingKeys: String, CodingKey {
        case purchaseID = "purchase_id"
        case listingID = "listing_id"
        case datasetID = "dataset_id"
        case contentRoot = "content_root"
        case manifestCID = "manifest_cid"
        case sealedKey = "sealed_key"
        case buyerKey = "buyer_key"
    }
}

/// `POST /v1/evidence`: the stored evidence document's CID.
public struct EvidenceStored: Codable, Sendable {
    public let cid: String
    public let uri: String
    public init(cid: String) {
        self.cid = cid
        uri = "ipfs://\(cid)"
    }
}
