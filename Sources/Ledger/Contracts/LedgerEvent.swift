import Foundation

/// What a contract emits when an intent changes its state: the contract, the event's name (the EVM contracts'
/// event names) and its fields as text (addresses checksummed, amounts in units).
public struct LedgerEvent: Sendable, Equatable, Codable {
    public let contract: String
    public let name: String
    public let fields: [String: String]

    public init(_ contract: String, _ name: String, _ fields: [String: String]) {
        self.contract = contract
        self.name = name
        self.fields = fields
    }

    /// The listing the event concerns, if any.
    public var listingID: UInt64? { fields["listingId"].flatMap(UInt64.init) }

    /// The accounts the event names.
    public var accounts: [String] {
        fields.filter { $0.value.hasPrefix("0x") && $0.value.count == 42 }.map { $0.value.lowercased() }.sorted()
    }

    /// The event as the log writes it.
    var json: JSONValue {
        .object(["contract": .string(contract), "name": .string(name), "fields": fieldsJSON])
    }

    /// The fields as a JSON object of strings.
    var fieldsJSON: JSONValue { .object(fields.mapValues(JSONValue.string)) }

    /// An event read back from a row that stored its fields as ``fieldsJSON`` wrote them.
    /// - Throws: ``LedgerError`` `.tampered` when the fields are not a JSON object of strings.
    init(_ contract: String, _ name: String, storedFields: String) throws(LedgerError) {
        do {
            self.init(contract, name, try JSONDecoder().decode([String: String].self, from: Data(storedFields.utf8)))
        } catch {
            throw LedgerError(.tampered, "a stored \(name) event's fields are not a JSON object of strings")
        }
    }
}
