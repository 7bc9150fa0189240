import Foundation
import LightboxCrypto

/// The contracts' state as `ledger_state` rows: one per account, listing and purchase, and one for governance;
/// each value is the record as canonical JSON.
enum LedgerStateRows {
    static func rows(of state: LedgerState, keys: Set<LedgerState.RecordKey>) -> [(kind: String, id: String, value: String)] {
        keys.map { key in
            switch key {
            case .account(let address): ("account", address.key, text(state.account(address)))
            case .listing(let id): ("listing", String(id), text(state.listings[id]!))
            case .purchase(let id): ("purchase", String(id), text(state.purchases[id]!))
            case .governance: ("governance", "", text(state.governance))
            }
        }
    }

    /// Every row of a state.
    static func allRows(of state: LedgerState) -> [(kind: String, id: String, value: String)] {
        var keys = Set<LedgerState.RecordKey>([.governance])
        keys.formUnion(state.accounts.keys.map { .account($0) })
        keys.formUnion(state.listings.keys.map { .listing($0) })
        keys.formUnion(state.purchases.keys.map { .purchase($0) })
        return rows(of: state, keys: keys)
    }

    static func load(_ rows: [(kind: String, id: String, value: String)], parameters: LedgerParameters) throws(LedgerError) -> LedgerState {
        var accounts: [EthereumAddress: AccountRecord] = [:]
        var listings: [UInt64: ListingRecord] = [:]
        var purchases: [UInt64: PurchaseRecord] = [:]
        var governance: GovernanceRecord?
        for row in rows {
            let json = try JSONValue.parse(Array(row.value.utf8))
            switch row.kind {
            case "account":
                guard let address = try? EthereumAddress(row.id) else { throw LedgerError(.tampered, "state row account/\(row.id) names no address") }
                accounts[address] = try json.decoded(as: AccountRecord.self)
            case "listing":
                let listing = try json.decoded(as: ListingRecord.self)
                listings[listing.id] = listing
            case "purchase":
                let purchase = try json.decoded(as: PurchaseRecord.self)
                purchases[purchase.id] = purchase
            case "governance":
                governance = try json.decoded(as: GovernanceRecord.self)
            default:
                throw LedgerError(.tampered, "state row kind '\(row.kind.prefix(20))' is not the ledger's")
            }
        }
        guard let governance else { throw LedgerError(.tampered, "the ledger's state has no governance row") }
        return LedgerState(parameters: parameters, accounts: accounts, listings: listings, purchases: purchases, governance: governance)
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
