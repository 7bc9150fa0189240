public import Ledger

/// A licence's terms in plain words, as a buyer reads them before paying: what the licence allows, what it does
/// not, and its conditions (credit, seats, duration, territory).
public struct LicenceWords: Sendable, Equatable, Codable {
    /// The licence's name: the SPDX id of an open licence, else Lightbox's template ("commercial", "research").
    public var name: String
    public var allowed: [String]
    public var notAllowed: [String]
    public var conditions: [String]

    enum CodingKeys: String, CodingKey {
        case name, allowed, conditions
        case notAllowed = "not_allowed"
    }

    public init(_ terms: LicenceTerms) {
        name = terms.spdx.isEmpty ? "\(terms.template) (Lightbox terms)" : terms.spdx
        let grants: [(Bool, String)] = [
            (terms.aiTraining, "training and evaluating machine-learning models"),
            (terms.commercialUse, "commercial use, in products and services that earn money"),
            (terms.derivatives, "derived datasets: edits, new annotations, augmentations"),
            (terms.redistribution, "sharing or reselling the data itself"),
        ]
        allowed = grants.filter(\.0).map(\.1)
        notAllowed = grants.filter { !$0.0 }.map(\.1)
        var conditions: [String] = []
        if terms.attribution { conditions.append("credit the creator wherever the data or its derivatives are used") }
        conditions.append(terms.seats == 0 ? "any number of people may use it" : "at most \(terms.seats) \(terms.seats == 1 ? "person" : "people") may use it")
        conditions.append(
            terms.durationDays == 0 ? "the licence never expires" : "the licence runs for \(terms.durationDays) days from purchase")
        conditions.append(terms.territory == "worldwide" ? "anywhere in the world" : "only in \(terms.territory)")
        self.conditions = conditions
    }
}
