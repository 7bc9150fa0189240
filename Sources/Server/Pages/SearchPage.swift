import Foundation
import Hummingbird
import Marketplace
import Mustache

/// The search page's model: the form as the visitor filled it, the result cards, and the next page's address.
struct SearchPage {
    let title = "Datasets"
    let query: Form
    let cards: [Card]
    let next: String?

    struct Form {
        let text: String
        let label: String
        let minimumScore: String
        let maximumPrice: String
        let minimumImages: String
        let tasks: [Option]
        let flags: [Flag]
        /// Whether any filter beyond the text is set (the refinements start open).
        let refined: Bool
        let anything: Bool
    }

    struct Option {
        let value: String
        let selected: Bool
    }

    struct Flag {
        let name: String
        let words: String
        let checked: Bool
    }

    struct Card {
        let id: UInt64
        let title: String
        let previews: [Preview]
        let score: Int
        let scoreClass: String
        let images: Int
        let price: String
        let licence: String
        let task: String
        let labels: String
    }

    struct Preview {
        let url: String
        let alt: String
    }

    /// The licence flags a search can require, with the words the form shows.
    static let licenceFlags = [
        ("ai_training", "model training"), ("commercial_use", "commercial use"), ("derivatives", "derived datasets"),
        ("redistribution", "redistribution"),
    ]

    init(query: ListingQuery, parameters: Hummingbird.Parameters, cards: [ListingCard]) {
        func value(_ name: String) -> String { parameters[Substring(name)].map(String.init) ?? "" }
        let flagValues: [String: Bool?] = [
            "ai_training": query.aiTraining, "commercial_use": query.commercialUse, "derivatives": query.derivatives,
            "redistribution": query.redistribution,
        ]
        let refined = query.task != nil || !query.labels.isEmpty || query.minimumScore != nil || query.maximumPrice != nil
            || query.minimumImages != nil || flagValues.values.contains { $0 == true }
        self.query = Form(
            text: query.text ?? "", label: query.labels.joined(separator: " "), minimumScore: value("min_score"),
            maximumPrice: value("max_price"), minimumImages: value("min_images"),
            tasks: ListingMetadata.tasks.map { Option(value: $0, selected: $0 == query.task) },
            flags: Self.licenceFlags.map { Flag(name: $0.0, words: $0.1, checked: flagValues[$0.0] == true) },
            refined: refined, anything: refined || query.text != nil)
        self.cards = cards.map { card in
            Card(
                id: card.listingID, title: card.title,
                previews: Self.previews(of: card, count: 2), score: card.score,
                scoreClass: PageFormatting.scoreClass(card.score), images: card.images, price: card.price + " tokens",
                licence: LicenceWords(card.terms).name, task: card.task, labels: card.labels.prefix(6).joined(separator: ", "))
        }
        // The next page keeps every filter and moves the cursor past the last card shown.
        if cards.count == query.limit, let last = cards.last {
            var items = URLComponents()
            items.queryItems = parameters.filter { $0.key != "cursor" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
                + [URLQueryItem(name: "cursor", value: String(last.listingID))]
            next = "/?" + (items.percentEncodedQuery ?? "")
        } else {
            next = nil
        }
    }

    /// The first `count` previews of a listing (all when nil), each with its address and alt text.
    static func previews(of card: ListingCard, count: Int? = nil) -> [Preview] {
        let all = card.previews ?? []
        return all.indices.prefix(count ?? all.count).map { index in
            Preview(
                url: "/v1/listings/\(card.listingID)/previews/\(index)",
                alt: "Preview \(index + 1) of \(all.count) from “\(card.title)”")
        }
    }
}

// The cards are rendered twenty to a page at hundreds of pages a second: their fields are looked up by name here
// rather than by reflection, which costs more than the rest of the search.
extension SearchPage.Card: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "previews": previews
        case "score": score
        case "scoreClass": scoreClass
        case "images": images
        case "price": price
        case "licence": licence
        case "task": task
        case "labels": labels
        default: nil
        }
    }
}

extension SearchPage.Preview: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "url": url
        case "alt": alt
        default: nil
        }
    }
}
