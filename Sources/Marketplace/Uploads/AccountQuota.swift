import Foundation
import LightboxCrypto
import Persistence

/// What one account may keep on the node: how many uploads it has open, and how many bytes its uploads' plaintext
/// and its evidence take together. Checked inside the transaction that adds to them, under the account's lock, so
/// parallel requests cannot together pass a limit each of them alone respects.
struct AccountQuota {
    let limits: UploadLimits

    /// Takes the account's lock for the rest of the transaction: every change to what the account keeps takes it
    /// first, so each sees the others' changes before it checks a limit.
    static func lock(_ owner: EthereumAddress, on connection: any DatabaseConnection) async throws {
        try await connection.lock("market.account." + owner.description)
    }

    /// - Throws: ``MarketplaceError`` `.conflict` when the account already has its most open uploads.
    func checkOpenUploads(of owner: EthereumAddress, on connection: any DatabaseConnection) async throws {
        let open = try await connection.query(
            "SELECT COUNT(*) AS n FROM market_uploads WHERE owner = \(owner.description) AND state = 'open'"
        ).first?.decode("n", as: Int64.self) ?? 0
        guard open < Int64(limits.openUploadsPerAccount) else {
            throw MarketplaceError(
                .conflict, "this account has \(open) open uploads, the most it may have at once; publish one, or delete one with DELETE /v1/uploads/{id}")
        }
    }

    /// - Throws: ``MarketplaceError`` `.tooLarge` when the account keeps more bytes than its quota.
    func checkStorage(of owner: EthereumAddress, on connection: any DatabaseConnection) async throws {
        let stored = try await Self.storedBytes(of: owner, on: connection)
        guard stored <= limits.accountBytes else {
            throw MarketplaceError(
                .tooLarge, "this account would keep \(stored) bytes on the node, more than its quota of \(limits.accountBytes); nothing of this was kept — publish or delete an upload first")
        }
    }

    /// The bytes an account keeps: its uploads whose files are still on the node, and its evidence.
    static func storedBytes(of owner: EthereumAddress, on connection: any DatabaseConnection) async throws -> Int64 {
        let uploads = try await connection.query(
            """
            SELECT CAST(COALESCE(SUM(byte_count), 0) AS BIGINT) AS n FROM market_uploads
            WHERE owner = \(owner.description) AND state IN ('open', 'sealed')
            """
        ).first?.decode("n", as: Int64.self) ?? 0
        let evidence = try await connection.query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS n FROM market_evidence WHERE account = \(owner.description)"
        ).first?.decode("n", as: Int64.self) ?? 0
        return uploads + evidence
    }
}
