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
        var state: [(kind: String, id: String, value: String)] = []
        var checkpoint: (size: UInt64, root: [UInt8], note: String)?
    }

    static func nodeKey(level: Int, index: Int) -> Int64 { Int64(level) << 40 | Int64(index) }

    func write(_ batch: Batch, now: UInt64) async throws {
        try await database.withTransaction(logger: logger) { connection in
            for chunk in batch.entries.chunked(200) {
                try await connection.execute(insert(
                    "ledger_entries (idx, time, kind, account, leaf, leaf_hash)",
                    chunk.map { row -> SQLQuery in
                        var account: String?
                        if case .intent(_, _, let signed, _) = row.entry { account = signed.intent.account.key }
                        let kind = if case .genesis = row.entry { "genesis" } else { "intent" }
                        return "(\(Int64(row.entry.index)), \(Int64(row.entry.time)), \(kind), \(account), \(row.leaf), \(row.leafHash))"
                    }))
            }
            for chunk in batch.nodes.chunked(400) {
                try await connection.execute(insert(
                    "ledger_tree (node, hash)", chunk.map { "(\(Self.nodeKey(level: $0.level, index: $0.index)), \($0.hash))" }))
            }
            let events = batch.entries.flatMap { row in row.entry.events.enumerated().map { (row.entry.index, $0.offset, $0.element) } }
            for chunk in events.chunked(200) {
                try await connection.execute(insert(
                    "ledger_events (idx, position, contract, name, listing_id, fields)",
                    chunk.map { index, position, event -> SQLQuery in
                        let fields = String(decoding: event.fieldsJSON.canonicalBytes, as: UTF8.self)
                        let listing = event.listingID.map { Int64($0) }
                        return "(\(Int64(index)), \(position), \(event.contract), \(event.name), \(listing), \(fields))"
                    }))
            }
            let accounts = events.flatMap { index, position, event in event.accounts.uniqued().map { ($0, index, position) } }
            for chunk in accounts.chunked(300) {
                try await connection.execute(insert(
                    "ledger_event_accounts (account, idx, position)", chunk.map { "(\($0.0), \(Int64($0.1)), \($0.2))" }))
            }
            for chunk in batch.state.chunked(300) {
                try await connection.execute(
                    "\(insert("ledger_state (kind, id, value)", chunk.map { "(\($0.kind), \($0.id), \($0.value))" })) ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value")
            }
            if let checkpoint = batch.checkpoint {
                try await connection.execute(
                    "INSERT INTO ledger_checkpoints (size, root_hash, note, created_at) VALUES (\(Int64(checkpoint.size)), \(checkpoint.root), \(checkpoint.note), \(Int64(now)))")
            }
        }
    }

    private func insert(_ table: String, _ rows: [SQLQuery]) -> SQLQuery {
        "INSERT INTO \(unsafeRaw: table) VALUES \(SQLQuery.joined(rows, separator: ", "))"
    }

    /// The number of entries: one more than the highest index.
    func size() async throws -> UInt64 {
        let rows = try await database.query("SELECT MAX(idx) AS top FROM ledger_entries", logger: logger)
        guard let top = try rows.first?.decode("top", as: Int64?.self) else { return 0 }
        return UInt64(top) + 1
    }

    func leaf(_ index: UInt64) async throws -> (leaf: [UInt8], time: UInt64)? {
        let rows = try await database.query("SELECT leaf, time FROM ledger_entries WHERE idx = \(Int64(index))", logger: logger)
        guard let row = rows.first else { return nil }
        return (try row.decode("leaf"), UInt64(try row.decode("time", as: Int64.self)))
    }

    /// Stored subtree hashes by (level, index).
    func nodes(_ wanted: [(level: Int, index: Int)]) async throws -> [Int64: [UInt8]] {
        let keys = Array(Set(wanted.map { Self.nodeKey(level: $0.level, index: $0.index) }))
        guard !keys.isEmpty else { return [:] }
        var found: [Int64: [UInt8]] = [:]
        for chunk in keys.chunked(500) {
            for row in try await database.query("SELECT node, hash FROM ledger_tree WHERE node IN (\(list: Array(chunk)))", logger: logger) {
                found[try row.decode("node")] = try row.decode("hash")
            }
        }
        return found
    }

    /// An event from a `ledger_events` row (with its contract, name and fields columns).
    static func event(_ row: SQLRow) throws -> LedgerEvent {
        let fields = try JSONValue.parse(Array((try row.decode("fields", as: String.self)).utf8)).decoded(as: [String: String].self)
        return LedgerEvent(try row.decode("contract"), try row.decode("name"), fields)
    }

    func stateRows() async throws -> [(kind: String, id: String, value: String)] {
        try await database.query("SELECT kind, id, value FROM ledger_state", logger: logger).map {
            (try $0.decode("kind"), try $0.decode("id"), try $0.decode("value"))
        }
    }

    func latestCheckpoint() async throws -> (size: UInt64, note: String)? {
        let rows = try await database.query("SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1", logger: logger)
        guard let row = rows.first else { return nil }
        return (UInt64(try row.decode("size", as: Int64.self)), try row.decode("note"))
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
