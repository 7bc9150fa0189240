import ContentAddressing
import Foundation
public import LightboxCrypto
public import Logging
import Persistence
import Storage

/// Dispute evidence: an ERC-1497 evidence document (JSON with at least `name` and `description`; `fileURI`,
/// `fileHash` and `fileTypeExtension` when it points at a file) stored as a UnixFS file in the node's blockstore,
/// served by its gateway and published like datasets. Its CID is what OpenDispute and SubmitEvidence name.
public struct EvidenceStore: Sendable {
    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    /// The largest evidence document.
    public static let maxBytes = 256 << 10

    /// Stores `document` for `account` and returns its CID. It counts against the account's storage quota.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` for a document that is not such a JSON object, `.tooLarge`
    ///   past the size limit or the account's quota.
    public func store(_ document: [UInt8], by account: EthereumAddress, logger: Logger) async throws -> String {
        guard document.count <= Self.maxBytes else {
            throw MarketplaceError(.tooLarge, "evidence is at most \(Self.maxBytes) bytes; put large files on IPFS and name them in fileURI")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(document)) as? [String: Any],
              let name = object["name"] as? String, !name.isEmpty, object["description"] is String,
              ["fileURI", "fileHash", "fileTypeExtension"].allSatisfy({ object[$0] == nil || object[$0] is String })
        else {
            throw MarketplaceError(
                .invalidRequest, "evidence is an ERC-1497 JSON object with a non-empty \"name\" and a \"description\" (and, for a file, the strings fileURI, fileHash and fileTypeExtension)")
        }
        let blocks = market.blocks
        let importer = try UnixFSImporter(options: try ImportOptions(cidVersion: 1))
        let cid = try importer.importBytes(document, into: DiscardingBlockSink()).cid
        // Counted before it is stored, under the account's lock, so parallel requests cannot pass the quota.
        let quota = AccountQuota(limits: market.uploads.limits)
        let now = Int64(Date().timeIntervalSince1970)
        try await market.database.withTransaction(logger: logger) { connection in
            try await AccountQuota.lock(account, on: connection)
            try await connection.execute(
                """
                INSERT INTO market_evidence (account, cid, size, created_at)
                VALUES (\(account.description), \(cid.description), \(Int64(document.count)), \(now))
                ON CONFLICT (account, cid) DO NOTHING
                """)
            try await quota.checkStorage(of: account, on: connection)
        }
        let entry = try importer.importBytes(document, into: blocks)
        try blocks.synchronise()
        do {
            _ = try await DAGPublisher(configuration: market.storage, store: blocks, http: market.http, logger: logger)
                .publish(entry.cid, name: "evidence-\(entry.cid)")
        } catch {
            // The node's own gateway serves it; publishing elsewhere is retried by whoever re-submits it.
            logger.warning("publishing evidence \(entry.cid) failed: \(error)")
        }
        return entry.cid.description
    }
}
