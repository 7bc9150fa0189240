import Foundation
import Ledger

/// The ledger page's model: the latest signed checkpoint with the verifier key, and the recent events.
struct LedgerPageModel {
    let title = "Ledger"
    let log: Log?
    let chainID: UInt64
    let events: [Event]

    struct Log {
        let origin: String
        let size: UInt64
        let root: String
        let verifierKey: String
        let checkpoint: String
    }

    struct Event {
        let index: UInt64
        let isoTime: String
        let displayTime: String
        let contract: String
        let name: String
        let fieldsText: String
        let listing: String?
    }

    /// How many events the page shows.
    static let recent = 50

    static func load(_ ledger: any LedgerBackend) async throws -> LedgerPageModel {
        var log: Log?
        var after: UInt64?
        if let transparency = ledger.log {
            let (note, checkpoint) = try await transparency.signedCheckpoint()
            log = Log(
                origin: checkpoint.origin, size: checkpoint.size, root: Data(checkpoint.rootHash).base64EncodedString(),
                verifierKey: transparency.verifierKey, checkpoint: note)
            // Entries hold a few events each: the last `recent` entries hold at least the last `recent` events.
            after = checkpoint.size > UInt64(recent) ? checkpoint.size - UInt64(recent) - 1 : nil
        }
        let stored = try await ledger.events(listing: nil, account: nil, after: after, limit: 10 * recent)
        let events = stored.suffix(recent).reversed().map { stored in
            Event(
                index: stored.index, isoTime: PageFormatting.isoTime(stored.time), displayTime: PageFormatting.displayTime(stored.time),
                contract: stored.event.contract, name: stored.event.name, fieldsText: PageFormatting.fieldsText(stored.event.fields),
                listing: stored.event.fields["listingId"])
        }
        return LedgerPageModel(log: log, chainID: ledger.parameters.chainID, events: Array(events))
    }
}
