import LightboxCrypto
import Persistence

/// Applies a batch of intents to a working set of the state (``LedgerState/partial(parameters:governance:)``)
/// read on the connection that holds the ledger's append lock: the records each intent names are read before the
/// batch, and a record an intent reaches only through another (a purchase's seller, the treasury) is read when the
/// intent first needs it, after which the intent is applied again to the state as it was before.
struct WorkingSet {
    private(set) var state: LedgerState
    private let connection: any DatabaseConnection

    /// The records an intent names: its account's and those its action names.
    static func recordKeys(of intent: Intent) -> [LedgerState.RecordKey] {
        [.account(intent.account)] + ((try? intent.action())?.recordKeys(actor: intent.account) ?? [])
    }

    /// The records an action by `account` names.
    static func recordKeys(of action: LedgerAction, by account: EthereumAddress) -> [LedgerState.RecordKey] {
        [.account(account)] + action.recordKeys(actor: account)
    }

    /// Reads governance and the records `keys` name.
    init(parameters: LedgerParameters, keys: Set<LedgerState.RecordKey>, on connection: any DatabaseConnection) async throws {
        let records = try await LedgerStore.records(keys.union([.governance]), on: connection)
        guard let governance = records.governance else { throw LedgerError(.tampered, "the ledger's state has no governance row") }
        var state = LedgerState.partial(parameters: parameters, governance: governance)
        state.load(Array(keys), accounts: records.accounts, listings: records.listings, purchases: records.purchases)
        self.state = state
        self.connection = connection
    }

    /// Applies one intent: its events, or the ledger's refusal (the working set then unchanged).
    mutating func apply(_ signed: SignedIntent, at now: UInt64) async throws -> Result<[LedgerEvent], LedgerError> {
        var faults = 0
        while true {
            var trial = state
            do {
                let events = try trial.apply(signed, at: now)
                state = trial
                return .success(events)
            } catch {
                guard let key = error.missing else { return .failure(error) }
                faults += 1
                guard faults <= 16, !(state.loaded?.contains(key) ?? true) else {
                    throw LedgerError(.tampered, "applying an intent kept asking for \(key)")
                }
                let records = try await LedgerStore.records([key], on: connection)
                state.load([key], accounts: records.accounts, listings: records.listings, purchases: records.purchases)
            }
        }
    }
}

extension LedgerAction {
    /// The records an intent of this action names directly, besides its account.
    func recordKeys(actor: EthereumAddress) -> [LedgerState.RecordKey] {
        switch self {
        case .transfer(let to, _): [.account(to)]
        case .transferFrom(let from, let to, _): [.account(from), .account(to)]
        case .approve, .faucet, .setOperator, .setArbiter, .setQASigner, .setPlatformFee: []
        case .mint(let request): [.manifest(request.attestation.manifestCID)]
        case .setPrice(let id, _), .setPaused(let id, _), .delist(let id), .offerListing(let id, _, _), .takeListing(let id, _): [.listing(id)]
        case .purchase(let id, _, _, _): [.listing(id), .licences(buyer: actor, listing: id)]
        case .deliver(let id, _), .accept(let id), .release(let id), .reclaim(let id), .openDispute(let id, _),
             .submitEvidence(let id, _), .rule(let id, _):
            [.purchase(id)]
        }
    }
}
