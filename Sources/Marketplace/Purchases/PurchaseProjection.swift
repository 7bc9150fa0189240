import Foundation
public import Ledger
public import LightboxCrypto
public import Logging
public import Persistence

/// The ledger's purchases as the marketplace queries them (`market_purchases`): by party, newest first, and an
/// arbiter's open disputes by evidence deadline. Kept by ``LedgerReactions`` in the transaction that moves its
/// cursor, from whichever ledger backend the node runs; each row holds the whole record as the ledger last showed it.
public struct PurchaseProjection: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Which of a purchase's parties an account is.
    public enum Role: String, Sendable, CaseIterable {
        case buyer, seller, arbiter
    }

    /// Replaces the rows of `purchases` (each id once), on `connection`'s transaction: a statement per 500 rows.
    func put(_ purchases: some Collection<PurchaseRecord>, on connection: any DatabaseConnection) async throws {
        for chunk in Array(purchases).chunked(500) {
            let rows = try chunk.map { purchase -> SQLQuery in
                let record = String(decoding: try Self.encoder.encode(purchase), as: UTF8.self)
                return """
                    (\(Int64(purchase.id)), \(Int64(purchase.listingID)), \(purchase.buyer.lowercaseHex), \(purchase.seller.lowercaseHex), \
                    \(purchase.dispute?.arbiter.lowercaseHex), \(purchase.escrow.rawValue), \(purchase.dispute.map { Int64($0.evidenceDeadline) }), \
                    \(record))
                    """
            }
            try await connection.execute(
                """
                INSERT INTO market_purchases (purchase_id, listing_id, buyer, seller, arbiter, escrow, evidence_deadline, record)
                VALUES \(SQLQuery.joined(rows, separator: ", "))
                ON CONFLICT (purchase_id) DO UPDATE SET arbiter = excluded.arbiter, escrow = excluded.escrow,
                    evidence_deadline = excluded.evidence_deadline, record = excluded.record
                """)
        }
    }

    /// `account`'s purchases in `role` (nil: any), newest first, those with ids below `before`.
    public func purchases(of account: EthereumAddress, role: Role?, before: UInt64?, limit: Int, logger: Logger) async throws -> [PurchaseRecord] {
        let address = account.lowercaseHex
        let roles = role.map { [$0] } ?? Role.allCases
        let below: SQLQuery = before.map { "purchase_id < \(Int64(min($0, UInt64(Int64.max))))" } ?? "1 = 1"
        // One indexed range per role, merged: an OR across three columns would scan.
        let parts: [SQLQuery] = roles.map { role in
            "SELECT purchase_id, record FROM market_purchases WHERE \(unsafeRaw: role.rawValue) = \(address) AND \(below)"
        }
        let rows = try await database.query(
            "SELECT DISTINCT purchase_id, record FROM (\(SQLQuery.joined(parts, separator: " UNION ALL "))) AS mine ORDER BY purchase_id DESC LIMIT \(limit)",
            logger: logger)
        return try rows.map { try Self.record($0) }
    }

    /// The open disputes assigned to `arbiter`, the earliest evidence deadline first.
    public func disputes(assignedTo arbiter: EthereumAddress, logger: Logger) async throws -> [PurchaseRecord] {
        let rows = try await database.query(
            """
            SELECT record FROM market_purchases WHERE arbiter = \(arbiter.lowercaseHex) AND escrow = 'disputed'
            ORDER BY evidence_deadline, purchase_id
            """,
            logger: logger)
        return try rows.map { try Self.record($0) }
    }

    /// Whether `account` has ever been assigned a dispute.
    public func hasArbitrated(_ account: EthereumAddress, logger: Logger) async throws -> Bool {
        try await !database.query(
            "SELECT 1 AS found FROM market_purchases WHERE arbiter = \(account.lowercaseHex) LIMIT 1", logger: logger
        ).isEmpty
    }

    private static func record(_ row: SQLRow) throws -> PurchaseRecord {
        try JSONDecoder().decode(PurchaseRecord.self, from: Data(try row.decode("record", as: String.self).utf8))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
