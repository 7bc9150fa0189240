public import LightboxCrypto

/// The terms a licence grants, as explicit flags (modelled on Story's programmable licence terms), signed into
/// every listing and purchase as the EIP-712 struct `Terms`. Their hash (`hashStruct`) is the listing's terms hash:
/// a buyer's purchase names it, so terms cannot change under a buyer's feet.
public struct LicenceTerms: Sendable, Hashable, Codable {
    /// The template the terms came from (`commercial`, `research`, or an SPDX id), or `custom`.
    public var template: String
    /// The SPDX licence id for open licences; empty for Lightbox's own terms.
    public var spdx: String
    public var commercialUse: Bool
    public var aiTraining: Bool
    public var derivatives: Bool
    public var redistribution: Bool
    public var attribution: Bool
    /// How many people may use the data; 0 means unlimited.
    public var seats: UInt64
    /// How long the licence runs from purchase; 0 means perpetual.
    public var durationDays: UInt64
    /// Where the data may be used: `worldwide` or ISO 3166 codes separated by commas.
    public var territory: String

    public init(
        template: String, spdx: String = "", commercialUse: Bool, aiTraining: Bool, derivatives: Bool, redistribution: Bool,
        attribution: Bool, seats: UInt64 = 0, durationDays: UInt64 = 0, territory: String = "worldwide"
    ) {
        self.template = template
        self.spdx = spdx
        self.commercialUse = commercialUse
        self.aiTraining = aiTraining
        self.derivatives = derivatives
        self.redistribution = redistribution
        self.attribution = attribution
        self.seats = seats
        self.durationDays = durationDays
        self.territory = territory
    }

    /// The EIP-712 struct type.
    public static let eip712Fields: [EIP712.Field] = [
        .init("template", "string"), .init("spdx", "string"), .init("commercialUse", "bool"), .init("aiTraining", "bool"),
        .init("derivatives", "bool"), .init("redistribution", "bool"), .init("attribution", "bool"),
        .init("seats", "uint256"), .init("durationDays", "uint256"), .init("territory", "string"),
    ]

    /// The terms as an EIP-712 value.
    public var eip712: EIP712.Value {
        .object([
            "template": .string(template), "spdx": .string(spdx), "commercialUse": .bool(commercialUse),
            "aiTraining": .bool(aiTraining), "derivatives": .bool(derivatives), "redistribution": .bool(redistribution),
            "attribution": .bool(attribution), "seats": .uint(seats), "durationDays": .uint(durationDays),
            "territory": .string(territory),
        ])
    }

    /// `hashStruct(Terms)`: what listings and purchases name.
    public var hash: [UInt8] {
        guard case .object(let values) = eip712,
              let hash = try? EIP712.TypedData(types: ["Terms": Self.eip712Fields], primaryType: "Terms", domain: [:], message: values)
                .hashStruct("Terms", values)
        else { preconditionFailure("the Terms type encodes its own fields") }
        return hash
    }

    /// Checks what a listing may not carry.
    /// - Throws: ``LedgerError`` `.invalidArgument`.
    public func validate() throws(LedgerError) {
        guard !template.isEmpty, template.count <= 64 else {
            throw LedgerError(.invalidArgument, "licence terms need a template name of 1 to 64 characters")
        }
        if !spdx.isEmpty {
            guard let open = Self.templates[spdx], open.spdx == spdx else {
                throw LedgerError(
                    .invalidArgument,
                    "'\(spdx.prefix(40))' is not an SPDX licence the ledger knows for data (\(Self.openLicences.joined(separator: ", ")))")
            }
            guard open == self else {
                throw LedgerError(.invalidArgument, "terms that name \(spdx) must be exactly that licence's terms")
            }
        }
        guard !territory.isEmpty, territory.count <= 200 else {
            throw LedgerError(.invalidArgument, "licence terms need a territory (worldwide, or country codes)")
        }
    }

    /// The SPDX licences that fit data.
    public static let openLicences = ["CC-BY-4.0", "CC0-1.0", "CDLA-Permissive-2.0"]

    /// The templates by name: Lightbox's `commercial` and `research`, and the open licences by SPDX id.
    public static let templates: [String: LicenceTerms] = [
        "commercial": LicenceTerms(
            template: "commercial", commercialUse: true, aiTraining: true, derivatives: true, redistribution: false,
            attribution: false, seats: 0, durationDays: 0),
        "research": LicenceTerms(
            template: "research", commercialUse: false, aiTraining: true, derivatives: true, redistribution: false,
            attribution: true, seats: 10, durationDays: 365),
        "CC-BY-4.0": LicenceTerms(
            template: "CC-BY-4.0", spdx: "CC-BY-4.0", commercialUse: true, aiTraining: true, derivatives: true,
            redistribution: true, attribution: true),
        "CC0-1.0": LicenceTerms(
            template: "CC0-1.0", spdx: "CC0-1.0", commercialUse: true, aiTraining: true, derivatives: true,
            redistribution: true, attribution: false),
        "CDLA-Permissive-2.0": LicenceTerms(
            template: "CDLA-Permissive-2.0", spdx: "CDLA-Permissive-2.0", commercialUse: true, aiTraining: true,
            derivatives: true, redistribution: true, attribution: true),
    ]

    /// A template by name.
    /// - Throws: ``LedgerError`` `.invalidArgument` listing the templates there are.
    public static func template(_ name: String) throws(LedgerError) -> LicenceTerms {
        guard let terms = templates[name] else {
            throw LedgerError(.invalidArgument, "no licence template '\(name.prefix(40))'; there are \(templates.keys.sorted().joined(separator: ", "))")
        }
        return terms
    }
}
