import Foundation
import LightboxCrypto
import Persistence

/// The fold's records as `evm_records` rows: one per listing, purchase, owner's operators, and governance, each the
/// record as JSON; `lookup` holds what records are found by (a listed manifest's CID, a purchase's buyer and listing).
extension ChainRecords {
    typealias Row = (kind: String, id: String, value: String, lookup: String?)

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The row of a record as it stands in the working set; `nil` when the record does not exist.
    func row(_ key: Key) -> Row? {
        func text(_ value: some Encodable) -> String { String(decoding: try! Self.encoder.encode(value), as: UTF8.self) }
        switch key {
        case .listing(let id):
            guard let listing = listings[id] else { return nil }
            return ("listing", String(id), text(listing), listing.delisted ? nil : listing.manifestCID)
        case .purchase(let id):
            guard let purchase = purchases[id] else { return nil }
            return ("purchase", String(id), text(purchase), "\(purchase.buyer.key):\(purchase.listingID)")
        case .operators(let owner):
            guard let set = operators[owner] else { return nil }
            return ("operators", owner.key, text(set.sorted()), nil)
        case .governance:
            return ("governance", "", text(governance), nil)
        }
    }

    static func kindAndID(_ key: Key) -> (kind: String, id: String) {
        switch key {
        case .listing(let id): ("listing", String(id))
        case .purchase(let id): ("purchase", String(id))
        case .operators(let owner): ("operators", owner.key)
        case .governance: ("governance", "")
        }
    }

    /// Loads the records `keys` name (and governance) from the rows.
    static func load(_ keys: Set<Key>, on connection: any DatabaseConnection) async throws -> ChainRecords {
        let governanceRows = try await connection.query("SELECT value FROM evm_records WHERE kind = 'governance'")
        guard let governanceText = try governanceRows.first?.decode("value", as: String.self) else {
            throw LedgerError(.notInitialised, "the chain index has no governance record: it was never started")
        }
        var records = ChainRecords(governance: try decode(GovernanceRecord.self, governanceText))
        for row in try await rows(keys.filter { $0 != .governance }, on: connection) {
            try records.absorb(kind: row.kind, id: row.id, value: row.value)
        }
        return records
    }

    /// The stored rows of the records `keys` name (those that exist), read 200 at a time.
    static func rows(_ keys: some Collection<Key>, on connection: any DatabaseConnection) async throws -> [(kind: String, id: String, value: String)] {
        let ids = keys.map { kindAndID($0) }
        var found = [(kind: String, id: String, value: String)]()
        for chunk in stride(from: 0, to: ids.count, by: 200).map({ Array(ids[$0..<min($0 + 200, ids.count)]) }) {
            let conditions = chunk.map { "(kind = \($0.kind) AND id = \($0.id))" as SQLQuery }
            for row in try await connection.query("SELECT kind, id, value FROM evm_records WHERE \(SQLQuery.joined(conditions, separator: " OR "))") {
                found.append((try row.decode("kind"), try row.decode("id"), try row.decode("value")))
            }
        }
        return found
    }

    mutating func absorb(kind: String, id: String, value: String) throws {
        switch kind {
        case "listing": let l = try Self.decode(ListingRecord.self, value); listings[l.id] = l
        case "purchase": let p = try Self.decode(PurchaseRecord.self, value); purchases[p.id] = p
        case "operators": operators[try EthereumAddress(id)] = Set(try Self.decode([String].self, value))
        case "governance": governance = try Self.decode(GovernanceRecord.self, value)
        default: break
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw LedgerError(.tampered, "a chain index record does not decode as \(type): \(error)")
        }
    }

    /// Writes a row (or deletes it, for `nil`), on the indexer's transaction.
    static func put(kind: String, id: String, value: String?, lookup: String?, on connection: any DatabaseConnection) async throws {
        guard let value else {
            try await connection.execute("DELETE FROM evm_records WHERE kind = \(kind) AND id = \(id)")
            return
        }
        try await connection.execute(
            """
            INSERT INTO evm_records (kind, id, value, lookup) VALUES (\(kind), \(id), \(value), \(lookup))
            ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, lookup = excluded.lookup
            """)
    }
}
