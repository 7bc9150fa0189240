public import LightboxCrypto
import Persistence

/// The records and events, read from the database as the last committed batch left them.
extension EmbeddedLedger {
    public nonisolated func account(_ address: EthereumAddress) async throws -> AccountRecord {
        try await store.records([.account(address)]).accounts[address] ?? AccountRecord()
    }

    public nonisolated func listing(_ id: UInt64) async throws -> ListingRecord? {
        try await store.records([.listing(id)]).listings.first
    }

    public nonisolated func listing(manifestCID: String) async throws -> ListingRecord? {
        try await store.records([.manifest(manifestCID)]).listings.first
    }

    public nonisolated func purchase(_ id: UInt64) async throws -> PurchaseRecord? {
        try await store.records([.purchase(id)]).purchases.first
    }

    public nonisolated func records(
        purchases: Set<UInt64>, listings: Set<UInt64>, accounts: Set<EthereumAddress>
    ) async throws -> RecordBatch {
        let keys: [LedgerState.RecordKey] = purchases.map { .purchase($0) } + listings.map { .listing($0) } + accounts.map { .account($0) }
        guard !keys.isEmpty else { return RecordBatch() }
        let rows = try await store.records(keys)
        var records = RecordBatch()
        for purchase in rows.purchases { records.purchases[purchase.id] = purchase }
        for listing in rows.listings { records.listings[listing.id] = listing }
        for address in accounts { records.accounts[address] = rows.accounts[address] ?? AccountRecord() }
        return records
    }

    public nonisolated func governance() async throws -> GovernanceRecord {
        guard let governance = try await store.records([.governance]).governance else {
            throw LedgerError(.tampered, "the ledger's state has no governance row")
        }
        return governance
    }

    /// In one read.
    public nonisolated func accountAndGovernance(_ address: EthereumAddress) async throws -> (account: AccountRecord, governance: GovernanceRecord) {
        let records = try await store.records([.account(address), .governance])
        guard let governance = records.governance else { throw LedgerError(.tampered, "the ledger's state has no governance row") }
        return (records.accounts[address] ?? AccountRecord(), governance)
    }

    /// Every record at once: for tests and small ledgers only.
    public nonisolated func completeState() async throws -> LedgerState {
        try LedgerStateRows.load(try await store.stateRows(), parameters: parameters)
    }

    /// Events, oldest first, of the entries after `afterIndex`, optionally only those about a listing or naming an
    /// account.
    public nonisolated func events(
        listing: UInt64? = nil, account: EthereumAddress? = nil, after afterIndex: UInt64? = nil, limit: Int = 100
    ) async throws -> [StoredEvent] {
        var conditions: [SQLQuery] = ["e.idx > \(afterIndex.map { Int64($0) } ?? -1)"]
        if let listing { conditions.append("e.listing_id = \(Int64(listing))") }
        if let account {
            conditions.append("EXISTS (SELECT 1 FROM ledger_event_accounts a WHERE a.account = \(account.key) AND a.idx = e.idx AND a.position = e.position)")
        }
        let rows = try await store.database.query(
            """
            SELECT e.idx, e.position, e.contract, e.name, e.fields, l.time FROM ledger_events e
            JOIN ledger_entries l ON l.idx = e.idx
            WHERE \(SQLQuery.joined(conditions, separator: " AND ")) ORDER BY e.idx, e.position LIMIT \(limit)
            """,
            logger: logger)
        return try rows.map { row in
            StoredEvent(
                index: UInt64(try row.decode("idx", as: Int64.self)), position: try row.decode("position"),
                time: UInt64(try row.decode("time", as: Int64.self)), event: try LedgerStore.event(row))
        }
    }
}
