/// A page of a list; `next_cursor` is the next page's cursor, null (written out, not left out) on the last page.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// Every error the API answers: `{"error": {"code", "message", "details"}}`.
public struct APIError: Codable, Sendable {
    public struct Body: Codable, Sendable {
        public let code: String
        public let message: String
    }

    public let error: Body
}
