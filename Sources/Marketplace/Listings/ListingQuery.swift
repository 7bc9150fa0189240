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
}
