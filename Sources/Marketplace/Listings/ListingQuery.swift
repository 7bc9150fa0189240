/// A search of the listings: every given filter must hold. Results come newest first, `limit` at a time; `before`
/// is the cursor (the last listing id of the previous page).
public struct ListingQuery: Sendable, Equatable {
    /// Words that must all appear in the title, description, task or labels.
    public var text: String?
    public var task: String?
    /// Labels the dataset must have (all of them).
    public var labels: [String] = []
    public var minimumImages: Int?
    public var minimumScore: Int?
    /// In tokens.
    public var maximumPrice: Double?
    public var owner: String?
    public var commercialUse: Bool?
    public var aiTraining: Bool?
    public var derivatives: Bool?
    public var redistribution: Bool?
    public var before: UInt64?
    public var limit: Int = 20

    public init() {}

    /// The most words a text search may hold, and the longest text.
    public static let maximumWords = 16
    public static let maximumTextBytes = 512
    /// The most labels one search may require, and the longest label, task or owner.
    public static let maximumLabels = 16
    public static let maximumTermBytes = 128

    /// Checks the query's size before it is run, so that no search costs more than a bounded statement.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` naming the parameter and its limit.
    public func validate() throws(MarketplaceError) {
        if let text {
            guard text.utf8.count <= Self.maximumTextBytes else {
                throw MarketplaceError(.invalidRequest, "q is \(text.utf8.count) bytes long; a search is at most \(Self.maximumTextBytes) bytes")
            }
            let words = ListingCard.words(text).count
            guard words <= Self.maximumWords else {
                throw MarketplaceError(.invalidRequest, "q holds \(words) words; a search may hold at most \(Self.maximumWords) — leave out the common ones")
            }
        }
        guard labels.count <= Self.maximumLabels else {
            throw MarketplaceError(.invalidRequest, "the search names \(labels.count) labels; at most \(Self.maximumLabels) may be required at once")
        }
        for (name, value) in [("task", task), ("owner", owner)] + labels.map({ ("label", $0) }) {
            guard let value else { continue }
            guard value.utf8.count <= Self.maximumTermBytes else {
                throw MarketplaceError(.invalidRequest, "\(name) is \(value.utf8.count) bytes long; at most \(Self.maximumTermBytes)")
            }
            guard !value.contains("|") else { throw MarketplaceError(.invalidRequest, "\(name) may not contain '|'") }
        }
    }
}
