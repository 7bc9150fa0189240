/// A pin request's state, as the IPFS Pinning Service API (1.0.0) describes it.
public struct PinStatus: Codable, Sendable, Equatable {
    /// What is pinned.
    public struct Pin: Codable, Sendable, Equatable {
        public let cid: String
        public let name: String?
        public let origins: [String]?
        public let meta: [String: String]?

        public init(cid: String, name: String? = nil, origins: [String]? = nil, meta: [String: String]? = nil) {
            self.cid = cid
            self.name = name
            self.origins = origins
            self.meta = meta
        }
    }

    /// `queued`, `pinning`, `pinned` or `failed`.
    public enum State: String, Codable, Sendable {
        case queued, pinning, pinned, failed
    }

    public let requestid: String
    public let status: State
    /// RFC 3339 time the request was made.
    public let created: String
    public let pin: Pin
    /// Multiaddrs of the service's nodes that will fetch the data.
    public let delegates: [String]
    public let info: [String: String]?

    public init(requestid: String, status: State, created: String, pin: Pin, delegates: [String], info: [String: String]? = nil) {
        self.requestid = requestid
        self.status = status
        self.created = created
        self.pin = pin
        self.delegates = delegates
        self.info = info
    }
}

/// The API's error body: `{"error": {"reason": "…", "details": "…"}}`.
public struct PinningFailure: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public let reason: String
        public let details: String?
    }
    public let error: Detail
}
