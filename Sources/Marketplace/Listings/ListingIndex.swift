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

    /// The publication (the dataset) listing `id` was minted from, without reading its card.
    func publicationID(of id: UInt64, logger: Logger) async throws -> String? {
        try await database.query("SELECT publication_id FROM market_listings WHERE listing_id = \(Int64(clamping: id))", logger: logger)
            .first.map { try $0.decode("publication_id") }
    }

    func card(_ id: UInt64, on connection: any DatabaseConnection) async throws -> ListingCard? {
        try await connection.query("SELECT card FROM market_listings WHERE listing_id = \(Int64(clamping: id))")
            .first.map { try Self.decode(try $0.decode("card")) }
    }

    /// The listings matching `query`, newest first, each card as the JSON text it is stored as: what a search
    /// response is made of, without decoding and encoding every card again.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` for a query past its size limits (see ``ListingQuery/validate()``).
    public func searchJSON(_ query: ListingQuery, logger: Logger) async throws -> [(listingID: UInt64, card: String)] {
        try query.validate()
        var conditions: [SQLQuery] = ["l.for_sale = 1"]
        // Text search walks one word's listings newest first (the word index is ordered by listing id within a
        // word) and checks the other words by lookup, so a common word stops after a page and a rare one reads
        // only its own listings. The longest word leads: long words tend to be the rare ones.
        let words = ListingCard.words(query.text ?? "").sorted { ($0.count, $0) > ($1.count, $1) }
        for word in words.dropFirst() {
            conditions.append("EXISTS (SELECT 1 FROM market_listing_terms o WHERE o.term = \(word) AND o.listing_id = l.listing_id)")
        }
        if let task = query.task { conditions.append("l.task = \(task)") }
        // A label is matched literally: LIKE's wildcards in it are escaped.
        for label in query.labels {
            conditions.append("l.labels LIKE \("%|" + Self.escapeLike(label.lowercased()) + "|%") ESCAPE '\\'")
        }
        if let images = query.minimumImages { conditions.append("l.image_count >= \(Int64(images))") }
        if let score = query.minimumScore { conditions.append("l.score >= \(Int64(score))") }
        if let price = query.maximumPrice { conditions.append("l.price_tokens <= \(price)") }
        if let owner = query.owner { conditions.append("l.owner = \(owner)") }
        if let flag = query.commercialUse { conditions.append("l.commercial_use = \(flag)") }
        if let flag = query.aiTraining { conditions.append("l.ai_training = \(flag)") }
        if let flag = query.derivatives { conditions.append("l.derivatives = \(flag)") }
        if let flag = query.redistribution { conditions.append("l.redistribution = \(flag)") }
        let from: SQLQuery
        let order: SQLQuery
        if let lead = words.first {
            // CROSS JOIN keeps the word index outermost on SQLite (PostgreSQL plans it as the inner join it is).
            from = "market_listing_terms t CROSS JOIN market_listings l"
            conditions.insert("l.listing_id = t.listing_id", at: 0)
            conditions.insert("t.term = \(lead)", at: 0)
            if let before = query.before { conditions.append("t.listing_id < \(Int64(clamping: before))") }
            order = "t.listing_id DESC"
        } else {
            from = "market_listings l"
            if let before = query.before { conditions.append("l.listing_id < \(Int64(clamping: before))") }
            order = "l.listing_id DESC"
        }
        return try await database.query(
            """
            SELECT l.listing_id, l.card FROM \(from) WHERE \(SQLQuery.joined(conditions, separator: " AND "))
            ORDER BY \(order) LIMIT \(Int64(query.limit))
            """, logger: logger
        ).map { (UInt64(try $0.decode("listing_id") as Int64), try $0.decode("card")) }
    }

    /// `text` with LIKE's wildcards (`%`, `_`) and the escape character itself escaped by a backslash.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// The listings matching `query`, newest first, as cards (for pages that show their parts).
    public func search(_ query: ListingQuery, logger: Logger) async throws -> [ListingCard] {
        try await searchJSON(query, logger: logger).map { try Self.decode($0.card) }
    }

    static func decode(_ text: String) throws -> ListingCard {
        try JSONDecoder().decode(ListingCard.self, from: Data(text.utf8))
    }
}
