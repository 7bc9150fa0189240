import Foundation
public import Ledger

/// What a contributor says about a dataset when publishing it: the public card of the listing, its price and its
/// licence terms.
public struct ListingMetadata: Sendable, Codable, Equatable {
    public static let tasks = ["classification", "detection", "segmentation", "keypoints", "other"]

    public var title: String
    public var description: String
    /// One of ``tasks``.
    public var task: String
    /// Price in tokens, as a decimal string ("12.5").
    public var price: String
    public var royaltyBps: UInt64
    public var terms: LicenceTerms

    public init(title: String, description: String, task: String, price: String, royaltyBps: UInt64, terms: LicenceTerms) {
        self.title = title
        self.description = description
        self.task = task
        self.price = price
        self.royaltyBps = royaltyBps
        self.terms = terms
    }

    enum CodingKeys: String, CodingKey {
        case title, description, task, price
        case royaltyBps = "royalty_bps"
        case terms
    }

    /// The price in base units.
    public var amount: TokenAmount { (try? TokenAmount(tokens: price)) ?? .zero }

    /// Checks every field, naming the first that is wrong.
    /// - Throws: ``MarketplaceError`` `.invalidRequest`.
    public func validate() throws(MarketplaceError) {
        func refuse(_ message: String) -> MarketplaceError { MarketplaceError(.invalidRequest, message) }
        let title = title.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(title.count) else { throw refuse("title must be 1 to 200 characters") }
        guard description.count <= 5000 else { throw refuse("description must be at most 5000 characters") }
        guard Self.tasks.contains(task) else { throw refuse("task must be one of \(Self.tasks.joined(separator: ", ")), not '\(task.prefix(40))'") }
        guard let amount = try? TokenAmount(tokens: price), amount > .zero else {
            throw refuse("price must be a positive number of tokens with at most 18 decimals, like \"12.5\", not '\(price.prefix(40))'")
        }
        guard royaltyBps <= 5000 else { throw refuse("royalty_bps must be from 0 to 5000 (50 %)") }
        do {
            try terms.validate()
        } catch {
            throw refuse("terms: \(error.message)")
        }
    }
}
