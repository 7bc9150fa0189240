import ContentAddressing
import Foundation
public import Logging
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

    /// Stores `document` and returns its CID.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` for a document that is not such a JSON object.
    public func store(_ document: [UInt8], logger: Logger) async throws -> String {
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
        let entry = try UnixFSImporter(options: try ImportOptions(cidVersion: 1)).importBytes(document, into: blocks)
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
