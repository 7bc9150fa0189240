import Foundation
import JobQueue
import Ledger
public import Logging
import Persistence

/// Turns the ledger's events into the marketplace's work, each event once and in order: a purchase of a listing
/// whose seller approved the node → `delivery.seal`; a delivery → `escrow.release` at the acceptance deadline; a
/// change of price, pause, delisting or owner → the listing's card again.
///
/// How far it has read is kept in `market_ledger_cursor` and moved in the same transaction as the work an event
/// causes, so a crash between the ledger's write and the reaction loses nothing: the next ``catchUp(logger:)``
/// (after every submission, and when the server starts) picks up where it stopped. Every reaction is idempotent
/// (unique job keys, cards replaced whole), so two processes catching up at once do no harm; the cursor is moved
/// only by the one whose compare-and-set wins.
public struct LedgerReactions: Sendable {
    let database: any Database
    let ledger: EmbeddedLedger
    let listings: ListingIndex
    let node: NodeAccount

    /// Events read per transaction.
    static let batch = 200

    /// Reacts to every event not reacted to yet.
    public func catchUp(logger: Logger) async throws {
        while true {
            let cursor = try await database.query(
                "SELECT next_index FROM market_ledger_cursor WHERE name = 'reactions'", logger: logger
            ).first?.decode("next_index", as: Int64.self) ?? 0
            var events = try await ledger.events(after: cursor == 0 ? nil : UInt64(cursor - 1), limit: Self.batch)
            guard let last = events.last else { return }
            var next = Int64(last.index) + 1
            if events.count == Self.batch, events.contains(where: { $0.index != last.index }) {
                // The last entry's events may go on past this batch: leave that entry to the next one.
                events.removeAll { $0.index == last.index }
                next = Int64(last.index)
            }
            let state = await ledger.state
            let queue = JobQueue(database: database, logger: logger)
            try await database.withTransaction(logger: logger) { connection in
                let moved = try await connection.execute(
                    "UPDATE market_ledger_cursor SET next_index = \(next) WHERE name = 'reactions' AND next_index = \(cursor)")
                guard moved == 1 else { return }  // another process reacted to these events first
                for stored in events {
                    try await react(to: stored.event, state: state, queue: queue, on: connection)
                }
            }
        }
    }

    private func react(to event: LedgerEvent, state: LedgerState, queue: JobQueue, on connection: any DatabaseConnection) async throws {
        switch (event.contract, event.name) {
        case ("Escrow", "Purchased"):
            guard let id = event.purchaseID, let purchase = state.purchases[id],
                  state.account(purchase.seller).approves(node.address)
            else { return }
            try await queue.enqueue(DeliverySealJob.self, .init(purchase: id), options: .init(uniqueKey: "deliver:\(id)"), on: connection)
        case ("Escrow", "Delivered"):
            guard let id = event.purchaseID, let deadline = state.purchases[id]?.acceptanceDeadline else { return }
            try await queue.enqueue(
                EscrowReleaseJob.self, .init(purchase: id),
                options: .init(runAt: Date(timeIntervalSince1970: TimeInterval(deadline + 1)), uniqueKey: "release:\(id)"),
                on: connection)
        case ("DatasetRegistry", let name) where name != "ListingMinted":
            guard let id = event.listingID, let listing = state.listings[id],
                  let card = try await listings.card(id, on: connection)
            else { return }
            try await listings.add(card.updated(from: listing), forSale: listing.isForSale, on: connection)
        default:
            return
        }
    }
}

extension LedgerEvent {
    /// The purchase an escrow event is about.
    var purchaseID: UInt64? { fields["purchaseId"].flatMap(UInt64.init) }
}
