import Foundation
import LightboxCrypto

/// The contracts' state as `ledger_state` rows: one per account, listing and purchase, and one for governance;
/// each value is the record as canonical JSON. `lookup` indexes what the contracts look records up by: a listed
/// (not delisted) listing's manifest CID, a purchase's buyer and listing (``lookup(buyer:listing:)``).
enum LedgerStateRows {
    typealias Row = (kind: String, id: String, value: String, lookup: String?)

    static func rows(of state: LedgerState, keys: Set<LedgerState.RecordKey>) -> [Row] {
        keys.compactMap { key -> Row? in
            switch key {
            case .account(let address):
                return ("account", address.key, text(state.account(address)), nil)
            case .listing(let id):
                let listing = state.listings[id]!
                return ("listing", String(id), text(listing), listing.delisted ? nil : listing.manifestCID)
            case .purchase(let id):
                let purchase = state.purchases[id]!
                return ("purchase", String(id), text(purchase), lookup(buyer: purchase.buyer, listing: purchase.listingID))
            case .governance:
                return ("governance", "", text(state.governance), nil)
            case .manifest, .licences:
                return nil  // indexes, kept in the rows' lookup column
            }
        }
    }

    static func lookup(buyer: EthereumAddress, listing: UInt64) -> String { "\(buyer.key):\(listing)" }

    /// Every row of a state.
    static func allRows(of state: LedgerState) -> [Row] {
        var keys = Set<LedgerState.RecordKey>([.governance])
        keys.formUnion(state.accounts.keys.map { .account($0) })
        keys.formUnion(state.listings.keys.map { .listing($0) })
        keys.formUnion(state.purchases.keys.map { .purchase($0) })
        return rows(of: state, keys: keys)
    }

    /// Records read from rows, by kind.
    struct Records {
        var accounts: [EthereumAddress: AccountRecord] = [:]
        var listings: [ListingRecord] = []
        var purchases: [PurchaseRecord] = []
        var governance: GovernanceRecord?
    }

    static func records(_ rows: [(kind: String, id: String, value: String)]) throws(LedgerError) -> Records {
        var records = Records()
        let decoder = JSONDecoder()
        for row in rows {
            func decoded<Record: Decodable>(_ type: Record.Type) throws(LedgerError) -> Record {
                do {
                    return try decoder.decode(Record.self, from: Data(row.value.utf8))
                } catch {
                    throw LedgerError(.tampered, "state row \(row.kind)/\(row.id.prefix(64)) does not decode as \(row.kind): \(error)")
                }
            }
            switch row.kind {
            case "account":
                guard let address = try? EthereumAddress(row.id) else { throw LedgerError(.tampered, "state row account/\(row.id) names no address") }
                records.accounts[address] = try decoded(AccountRecord.self)
            case "listing":
                records.listings.append(try decoded(ListingRecord.self))
            case "purchase":
                records.purchases.append(try decoded(PurchaseRecord.self))
            case "governance":
                records.governance = try decoded(GovernanceRecord.self)
            default:
                throw LedgerError(.tampered, "state row kind '\(row.kind.prefix(20))' is not the ledger's")
            }
        }
        return records
    }

    /// A complete state from every row.
    static func load(_ rows: [(kind: String, id: String, value: String)], parameters: LedgerParameters) throws(LedgerError) -> LedgerState {
        let records = try records(rows)
        guard let governance = records.governance else { throw LedgerError(.tampered, "the ledger's state has no governance row") }
        return LedgerState(
            parameters: parameters, accounts: records.accounts,
            listings: Dictionary(records.listings.map { ($0.id, $0) }) { $1 },
            purchases: Dictionary(records.purchases.map { ($0.id, $0) }) { $1 }, governance: governance)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func text(_ value: some Encodable) -> String {
        String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
