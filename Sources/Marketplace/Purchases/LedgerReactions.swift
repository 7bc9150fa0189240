import Foundation
import JobQueue
import Ledger
import LightboxCrypto
import Logging
import Persistence

/// Turns the ledger's events into the marketplace's work, each event once and in order: a purchase of a listing
/// whose seller approved the node → `delivery.seal`; a delivery → `escrow.release` at the acceptance deadline; a
/// change of price, pause, delisting or owner → the listing's card again; every escrow event → the purchase's row in
/// the ``PurchaseProjection``. The records events are about are read from the ledger backend before the transaction.
///
/// How far it has read is kept in `market_ledger_cursor` and moved in the same transaction as the work an event
/// causes, so a crash between the ledger's write and the reaction loses nothing: the next ``catchUp()``
/// (after every submission, before the purchases projection is read, on every sweep, and when the server starts)
/// picks up where it stopped. Every reaction is idempotent
/// (unique job keys, cards replaced whole), so two processes catching up at once do no harm; the cursor is moved
/// only by the one whose compare-and-set wins. Within a process, catch-ups run one at a time: callers that arrive
/// during one share the next (``CoalescedRuns``) instead of racing each other for the cursor's row.
public struct LedgerReactions: Sendable {
    private let runs: CoalescedRuns

    init(database: any Database, ledger: any LedgerBackend, listings: ListingIndex, purchases: PurchaseProjection, node: NodeAccount, logger: Logger) {
        let pass = Pass(database: database, ledger: ledger, listings: listings, purchases: purchases, node: node)
        runs = CoalescedRuns { try await pass.catchUp(logger: logger) }
    }

    /// Events read per transaction.
    static let batch = 200

    /// Reacts to every event written before the call and not reacted to yet, by this process or another.
    public func catchUp() async throws {
        try await runs.run()
    }

    /// Starts a catch-up without waiting for it: after submissions whose reactions nobody reads at once (the node's
    /// own, and escrow intents, whose readers catch up first). A run that fails is made good by the next one.
    public func requestCatchUp() async {
        await runs.request()
    }
}

extension LedgerReactions {
    /// One catch-up: every event after the cursor, a batch per transaction.
    struct Pass: Sendable {
        let database: any Database
        let ledger: any LedgerBackend
        let listings: ListingIndex
        let purchases: PurchaseProjection
        let node: NodeAccount

        func catchUp(logger: Logger) async throws {
            try await ledger.synchronise()
            while try await step(logger: logger) {}
        }

        /// Reacts to the next batch of events; false when there was none.
        ///
        /// On PostgreSQL the cursor's row is locked first, so processes catch up one after another rather than each
        /// reading the same events and all but one throwing the work away. On SQLite, where the one writer's
        /// transaction would shut out the reads, the batch is read first and the cursor moved only if it has not
        /// moved meanwhile.
        private func step(logger: Logger) async throws -> Bool {
            guard database.dialect == .postgres else {
                let cursor = try await database.query(Self.cursorQuery, logger: logger).first?.decode("next_index", as: Int64.self) ?? 0
                guard let batch = try await read(after: cursor) else { return false }
                try await database.withTransaction(logger: logger) { try await apply(batch, movingFrom: cursor, on: $0, logger: logger) }
                return true
            }
            return try await database.withTransaction(logger: logger) { connection in
                let cursor = try await connection.query("\(Self.cursorQuery)\(unsafeRaw: connection.dialect.rowLock)")
                    .first?.decode("next_index", as: Int64.self) ?? 0
                guard let batch = try await read(after: cursor) else { return false }
                try await apply(batch, movingFrom: cursor, on: connection, logger: logger)
                return true
            }
        }

        private static let cursorQuery: SQLQuery = "SELECT next_index FROM market_ledger_cursor WHERE name = 'reactions'"

        /// The events after `cursor` (up to a batch, whole entries) with the records they are about, and where the
        /// cursor goes after them; nil when there are none.
        private func read(after cursor: Int64) async throws -> (events: [StoredEvent], records: Records, next: Int64)? {
            var events = try await ledger.events(after: cursor == 0 ? nil : UInt64(cursor - 1), limit: LedgerReactions.batch)
            guard let last = events.last else { return nil }
            var next = Int64(last.index) + 1
            if events.count == LedgerReactions.batch, events.contains(where: { $0.index != last.index }) {
                // The last entry's events may go on past this batch: leave that entry to the next one.
                events.removeAll { $0.index == last.index }
                next = Int64(last.index)
            }
            return (events, try await Records.read(for: events.map(\.event), from: ledger, node: node.address), next)
        }

        /// Moves the cursor from `cursor` past `batch` and does the work its events cause, on `connection`'s
        /// transaction; nothing when another process moved the cursor first.
        private func apply(
            _ batch: (events: [StoredEvent], records: Records, next: Int64), movingFrom cursor: Int64,
            on connection: any DatabaseConnection, logger: Logger
        ) async throws {
            let moved = try await connection.execute(
                "UPDATE market_ledger_cursor SET next_index = \(batch.next) WHERE name = 'reactions' AND next_index = \(cursor)")
            guard moved == 1 else { return }  // another process reacted to these events first
            try await purchases.put(batch.records.purchases.values, on: connection)
            var jobs = Jobs()
            for stored in batch.events {
                try await react(to: stored.event, records: batch.records, jobs: &jobs, on: connection)
            }
            try await jobs.enqueue(on: JobQueue(database: database, logger: logger), connection: connection)
        }

        /// The ledger's records a batch of events is about, read before its transaction.
        struct Records {
            var purchases: [UInt64: PurchaseRecord] = [:]
            var listings: [UInt64: ListingRecord] = [:]
            var sellersApprovingNode: Set<EthereumAddress> = []

            /// Two reads: the purchases and listings the events name, then the sellers of the new purchases.
            static func read(for events: [LedgerEvent], from ledger: any LedgerBackend, node: EthereumAddress) async throws -> Records {
                let reorganised = events.filter(\.isReorganisation)
                let named = try await ledger.records(
                    purchases: Set(events.compactMap(\.purchaseID) + reorganised.flatMap { $0.ids("purchases") }),
                    listings: Set(events.filter { $0.contract == "DatasetRegistry" }.compactMap(\.listingID) + reorganised.flatMap { $0.ids("listings") }),
                    accounts: [])
                var records = Records(purchases: named.purchases, listings: named.listings)
                let purchased = events.filter { $0.name == "Purchased" }.compactMap { $0.purchaseID.flatMap { records.purchases[$0] } }
                let sellers = try await ledger.records(purchases: [], listings: [], accounts: Set(purchased.map(\.seller)))
                records.sellersApprovingNode = Set(sellers.accounts.filter { $0.value.approves(node) }.keys)
                return records
            }
        }

        /// The jobs a batch of events causes, enqueued together at the end of its transaction.
        struct Jobs {
            var deliveries: [(payload: DeliverySealJob.Payload, options: JobOptions)] = []
            var releases: [(payload: EscrowReleaseJob.Payload, options: JobOptions)] = []

            func enqueue(on queue: JobQueue, connection: any DatabaseConnection) async throws {
                try await queue.enqueueBatch(DeliverySealJob.self, deliveries, on: connection)
                try await queue.enqueueBatch(EscrowReleaseJob.self, releases, on: connection)
            }
        }

        private func react(to event: LedgerEvent, records: Records, jobs: inout Jobs, on connection: any DatabaseConnection) async throws {
            switch (event.contract, event.name) {
            case ("Escrow", "Purchased"):
                // Only a purchase still awaiting delivery from a seller who lets the node deliver for it.
                guard let id = event.purchaseID, let purchase = records.purchases[id], purchase.escrow == .awaitingDelivery,
                      records.sellersApprovingNode.contains(purchase.seller)
                else { return }
                jobs.deliveries.append((.init(purchase: id), .init(uniqueKey: "deliver:\(id)")))
            case ("Escrow", "Delivered"):
                guard let id = event.purchaseID, let deadline = records.purchases[id]?.acceptanceDeadline else { return }
                jobs.releases.append((.init(purchase: id), .init(runAt: Date(timeIntervalSince1970: TimeInterval(deadline + 1)), uniqueKey: "release:\(id)")))
            case ("Ledger", "Reorganised"):
                // A chain reorganisation changed these records under the projection: as they now stand, or gone.
                for id in event.ids("purchases") where records.purchases[id] == nil {
                    try await connection.execute("DELETE FROM market_purchases WHERE purchase_id = \(Int64(id))")
                }
                for id in event.ids("listings") {
                    if let listing = records.listings[id], let card = try await listings.card(id, on: connection) {
                        try await listings.add(card.updated(from: listing), forSale: listing.isForSale, on: connection)
                    } else if records.listings[id] == nil {
                        try await connection.execute("DELETE FROM market_listing_terms WHERE listing_id = \(Int64(id))")
                        try await connection.execute("DELETE FROM market_listings WHERE listing_id = \(Int64(id))")
                    }
                }
            case ("DatasetRegistry", let name) where name != "ListingMinted":
                guard let id = event.listingID, let listing = records.listings[id],
                      let card = try await listings.card(id, on: connection)
                else { return }
                try await listings.add(card.updated(from: listing), forSale: listing.isForSale, on: connection)
            default:
                return
            }
        }
    }
}

extension LedgerEvent {
    /// The purchase an escrow event is about.
    var purchaseID: UInt64? { fields["purchaseId"].flatMap(UInt64.init) }

    /// The EVM ledger's notice that a chain reorganisation changed records (``ChainIndexer``).
    var isReorganisation: Bool { contract == "Ledger" && name == "Reorganised" }

    /// The ids a comma-separated field lists.
    func ids(_ field: String) -> [UInt64] {
        (fields[field] ?? "").split(separator: ",").compactMap { UInt64($0) }
    }
}
