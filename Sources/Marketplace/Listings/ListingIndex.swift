import Foundation
import Ledger
import LightboxCrypto
public import Logging
public import Persistence

/// The search index of active listings (`market_listings`, with one row per word in `market_listing_terms`).
/// A listing is added in the same transaction that makes its publication active, so it is searchable as soon as
/// it is minted.
public struct ListingIndex: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Adds (or replaces) a listing's card, on `connection`'s transaction. A listing not for sale (paused or
    /// delisted) keeps its card but is left out of search.
    public func add(_ card: ListingCard, forSale: Bool = true, on connection: any DatabaseConnection) async throws {
        let id = Int64(card.listingID)
        try await connection.execute("DELETE FROM market_listings WHERE listing_id = \(id)")
        try await connection.execute("DELETE FROM market_listing_terms WHERE listing_id = \(id)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await connection.execute(
            """
            INSERT INTO market_listings (listing_id, publication_id, owner, title, task, labels, image_count, score,
                price_units, price_tokens, commercial_use, ai_training, derivatives, redistribution, minted_at, card, for_sale)
            VALUES (\(id), \(card.publicationID), \(card.owner.description), \(card.title), \(card.task),
                \("|" + card.labels.map { $0.lowercased() }.joined(separator: "|") + "|"), \(Int64(card.images)), \(Int64(card.score)),
                \(card.priceUnits), \(Double(card.price) ?? 0), \(card.terms.commercialUse), \(card.terms.aiTraining),
                \(card.terms.derivatives), \(card.terms.redistribution), \(Int64(card.mintedAt)),
                \(String(decoding: try encoder.encode(card), as: UTF8.self)), \(forSale))
            """)
        let words = card.searchWords.sorted()
        for start in stride(from: 0, to: words.count, by: 200) {
            let rows: [SQLQuery] = words[start..<min(start + 200, words.count)].map { "(\($0), \(id))" }
            try await connection.execute(
                "INSERT INTO market_listing_terms (term, listing_id) VALUES \(SQLQuery.joined(rows, separator: ", "))")
        }
    }

    /// One listing's card.
    public func card(_ id: UInt64, logger: Logger) async throws -> ListingCard? {
        try await database.withConnection(logger: logger) { try await card(id, on: $0) }
    }

    func card(_ id: UInt64, on connection: any DatabaseConnection) async throws -> ListingCard? {
        try await connection.query("SELECT card FROM market_listings WHERE listing_id = \(Int64(clamping: id))")
            .first.map { try Self.decode(try $0.decode("card")) }
    }

    /// The listings matching `query`, newest first.
    public func search(_ query: ListingQuery, logger: Logger) async throws -> [ListingCard] {
        var conditions: [SQLQuery] = ["for_sale = 1"]
        for word in ListingCard.words(query.text ?? "").sorted() {
            conditions.append("listing_id IN (SELECT listing_id FROM market_listing_terms WHERE term = \(word))")
        }
        if let task = query.task { conditions.append("task = \(task)") }
        for label in query.labels { conditions.append("labels LIKE \("%|" + label.lowercased() + "|%")") }
        if let images = query.minimumImages { conditions.append("image_count >= \(Int64(images))") }
        if let score = query.minimumScore { conditions.append("score >= \(Int64(score))") }
        if let price = query.maximumPrice { conditions.append("price_tokens <= \(price)") }
        if let owner = query.owner { conditions.append("owner = \(owner)") }
        if let flag = query.commercialUse { conditions.append("commercial_use = \(flag)") }
        if let flag = query.aiTraining { conditions.append("ai_training = \(flag)") }
        if let flag = query.derivatives { conditions.append("derivatives = \(flag)") }
        if let flag = query.redistribution { conditions.append("redistribution = \(flag)") }
        if let before = query.before { conditions.append("listing_id < \(Int64(clamping: before))") }
        let filter: SQLQuery = "WHERE \(SQLQuery.joined(conditions, separator: " AND "))"
        return try await database.query(
            "SELECT card FROM market_listings \(filter) ORDER BY listing_id DESC LIMIT \(Int64(query.limit))", logger: logger
        ).map { try Self.decode(try $0.decode("card")) }
    }

    static func decode(_ text: String) throws -> ListingCard {
        try JSONDecoder().decode(ListingCard.self, from: Data(text.utf8))
    }
}
