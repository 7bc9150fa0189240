import Foundation
import LightboxCrypto
public import Logging
public import Persistence

/// The embedded ledger's rows: reads and the one write of a batch of entries.
struct LedgerStore: Sendable {
    let database: any Database
    let logger: Logger

    /// Everything a batch of accepted intents writes, in one transaction.
    struct Batch {
        var entries: [(entry: LogEntry, leaf: [UInt8], leafHash: [UInt8])] = []
        var nodes: [(level: Int, index: Int, hash: [UInt8])] = []
        var state: [LedgerStateRows.Row] = []
        var checkpoint: (size: UInt64, root: [UInt8], note: String)?
    }

    static func nodeKey(level: Int, index: Int) -> Int64 { Int64(level) << 40 | Int64(index) }

    /// Writes a batch on `connection`, inside the transaction that holds the ledger's append lock. On PostgreSQL
    /// the inserts go as one statement (each but the last a data-modifying `WITH` part): one round trip, not six.
    func write(_ batch: Batch, now: UInt64, on connection: any DatabaseConnection) async throws {
        let statements = inserts(batch, now: now)
        if connection.dialect == .postgres, statements.count > 1, statements.reduce(0, { $0 + $1.binds.count }) <= Self.maxBindsPerStatement {
            let parts = statements.dropLast().enumerated().map { position, statement -> SQLQuery in
                "part\(unsafeRaw: String(position)) AS (\(statement))"
            }
            try await connection.execute("WITH \(SQLQuery.joined(parts, separator: ", ")) \(statements[statements.count - 1])")
        } else {
            for statement in statements { try await connection.execute(statement) }
        }
    }

    /// Parameters one statement may carry (PostgreSQL's limit is 65,535).
    static let maxBindsPerStatement = 30_000

    /// The inserts of a batch: entries, subtree hashes, events and the accounts they name, state rows, checkpoint.
    private func inserts(_ batch: Batch, now: UInt64) -> [SQLQuery] {
        var statements: [SQLQuery] = []
        for chunk in batch.entries.chunked(200) {
            statements.append(insert(
                "ledger_entries (idx, time, kind, account, leaf, leaf_hash)",
                chunk.map { row -> SQLQuery in
                    var account: String?
                    if case .intent(_, _, let signed, _) = row.entry { account = signed.intent.account.key }
                    let kind = if case .genesis = row.entry { "genesis" } else { "intent" }
                    return "(\(Int64(row.entry.index)), \(Int64(row.entry.time)), \(kind), \(account), \(row.leaf), \(row.leafHash))"
                }))
        }
        for chunk in batch.nodes.chunked(400) {
            statements.append(insert(
                "ledger_tree (node, hash)", chunk.map { "(\(Self.nodeKey(level: $0.level, index: $0.index)), \($0.hash))" }))
        }
        let events = batch.entries.flatMap { row in row.entry.events.enumerated().map { (row.entry.index, $0.offset, $0.element) } }
        for chunk in events.chunked(200) {
            statements.append(insert(
                "ledger_events (idx, position, contract, name, listing_id, fields)",
                chunk.map { index, position, event -> SQLQuery in
                    let fields = String(decoding: event.fieldsJSON.canonicalBytes, as: UTF8.self)
                    let listing = event.listingID.map { Int64($0) }
                    return "(\(Int64(index)), \(position), \(event.contract), \(event.name), \(listing), \(fields))"
                }))
        }
        let accounts = events.flatMap { index, position, event in event.accounts.uniqued().map { ($0, index, position) } }
        for chunk in accounts.chunked(300) {
            statements.append(insert(
                "ledger_event_accounts (account, idx, position)", chunk.map { "(\($0.0), \(Int64($0.1)), \($0.2))" }))
        }
        for chunk in batch.state.chunked(300) {
            statements.append(
                """
                \(insert("ledger_state (kind, id, value, lookup)", chunk.map { "(\($0.kind), \($0.id), \($0.value), \($0.lookup))" })) \
                ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, lookup = excluded.lookup
                """)
        }
        if let checkpoint = batch.checkpoint {
            statements.append(
                "INSERT INTO ledger_checkpoints (size, root_hash, note, created_at) VALUES (\(Int64(checkpoint.size)), \(checkpoint.root), \(checkpoint.note), \(Int64(now)))")
        }
        return statements
    }

    private func insert(_ table: String, _ rows: [SQLQuery]) -> SQLQuery {
        "INSERT INTO \(unsafeRaw: table) VALUES \(SQLQuery.joined(rows, separator: ", "))"
    }

    /// The number of entries: one more than the highest index.
    func size() async throws -> UInt64 {
        try await database.withConnection(logger: logger) { try await Self.tip(on: $0).size }
    }

    /// The number of entries and the time of the last one, as `connection` sees them.
    static func tip(on connection: any DatabaseConnection) async throws -> (size: UInt64, time: UInt64) {
        let rows = try await connection.query("SELECT idx, time FROM ledger_entries ORDER BY idx DESC LIMIT 1")
        guard let row = rows.first else { return (0, 0) }
        return (UInt64(try row.decode("idx", as: Int64.self)) + 1, UInt64(try row.decode("time", as: Int64.self)))
    }

    /// The state rows of `keys` (records and index entries), read on `connection`.
    static func records(_ keys: some Collection<LedgerState.RecordKey>, on connection: any DatabaseConnection) async throws -> LedgerStateRows.Records {
        var conditions: [SQLQuery] = []
        var ids: [String: [String]] = [:]
        var lookups: [String: [String]] = [:]
        for key in keys {
            switch key {
            case .account(let address): ids["account", default: []].append(address.key)
            case .listing(let id): ids["listing", default: []].append(String(id))
            case .purchase(let id): ids["purchase", default: []].append(String(id))
            case .governance: ids["governance", default: []].append("")
            case .manifest(let cid): lookups["listing", default: []].append(cid)
            case .licences(let buyer, let listing): lookups["purchase", default: []].append(LedgerStateRows.lookup(buyer: buyer, listing: listing))
            }
        }
        for (kind, values) in ids.sorted(by: { $0.key < $1.key }) { conditions.append("(kind = \(kind) AND id IN (\(list: values)))") }
        for (kind, values) in lookups.sorted(by: { $0.key < $1.key }) { conditions.append("(kind = \(kind) AND lookup IN (\(list: values)))") }
        guard !conditions.isEmpty else { return .init() }
        let rows = try await connection.query(
            "SELECT kind, id, value FROM ledger_state WHERE \(SQLQuery.joined(conditions, separator: " OR "))")
        return try LedgerStateRows.records(rows.map { (try $0.decode("kind"), try $0.decode("id"), try $0.decode("value")) })
    }

    /// Records by key, read outside any transaction.
    func records(_ keys: [LedgerState.RecordKey]) async throws -> LedgerStateRows.Records {
        try await database.withConnection(logger: logger) { try await Self.records(keys, on: $0) }
    }

    func leaf(_ index: UInt64) async throws -> (leaf: [UInt8], time: UInt64)? {
        let rows = try await database.query("SELECT leaf, time FROM ledger_entries WHERE idx = \(Int64(index))", logger: logger)
        guard let row = rows.first else { return nil }
        return (try row.decode("leaf"), UInt64(try row.decode("time", as: Int64.self)))
    }

    /// Leaf bytes of the entries `indices`, those that exist.
    func leaves(_ indices: [UInt64]) async throws -> [UInt64: [UInt8]] {
        var found: [UInt64: [UInt8]] = [:]
        for chunk in Array(Set(indices)).map({ Int64($0) }).chunked(500) {
            for row in try await database.query("SELECT idx, leaf FROM ledger_entries WHERE idx IN (\(list: Array(chunk)))", logger: logger) {
                found[UInt64(try row.decode("idx", as: Int64.self))] = try row.decode("leaf")
            }
        }
        return found
    }

    /// Stored subtree hashes by (level, index).
    func nodes(_ wanted: [(level: Int, index: Int)]) async throws -> [Int64: [UInt8]] {
        try await database.withConnection(logger: logger) { try await Self.nodes(wanted, on: $0) }
    }

    static func nodes(_ wanted: [(level: Int, index: Int)], on connection: any DatabaseConnection) async throws -> [Int64: [UInt8]] {
        let keys = Array(Set(wanted.map { Self.nodeKey(level: $0.level, index: $0.index) }))
        guard !keys.isEmpty else { return [:] }
        var found: [Int64: [UInt8]] = [:]
        for chunk in keys.chunked(500) {
            for row in try await connection.query("SELECT node, hash FROM ledger_tree WHERE node IN (\(list: Array(chunk)))") {
                found[try row.decode("node")] = try row.decode("hash")
            }
        }
        return found
    }

    /// An event from a `ledger_events` row (with its contract, name and fields columns).
    static func event(_ row: SQLRow) throws -> LedgerEvent {
        try LedgerEvent(try row.decode("contract"), try row.decode("name"), storedFields: try row.decode("fields"))
    }

    func stateRows() async throws -> [(kind: String, id: String, value: String)] {
        try await database.query("SELECT kind, id, value FROM ledger_state", logger: logger).map {
            (try $0.decode("kind"), try $0.decode("id"), try $0.decode("value"))
        }
    }

    func latestCheckpoint() async throws -> (size: UInt64, root: [UInt8], note: String)? {
        let rows = try await database.query("SELECT size, root_hash, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1", logger: logger)
        guard let row = rows.first else { return nil }
        return (UInt64(try row.decode("size", as: Int64.self)), try row.decode("root_hash"), try row.decode("note"))
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
