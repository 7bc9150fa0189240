import AsyncHTTPClient
import ContentAddressing
import Foundation
import Ledger
import Logging
import Marketplace
import NIOHTTP1
import Storage

/// One piece of a dispute's evidence as the arbiter reads it: who sent it and when, and the ERC-1497 document
/// fetched by its CID (every block checked against it), or why it could not be read.
struct EvidenceDocument: Encodable {
    let side: String
    let party: String
    let cid: String
    let at: UInt64
    let document: JSONValue?
    let error: String?

    var lines: [String] {
        var lines = ["  evidence from the \(side) (\(party)) at \(ClientOutput.time(at)), ipfs://\(cid)"]
        guard let document else {
            lines.append("    cannot be read: \(error ?? "unknown")")
            return lines
        }
        lines.append("    \(document["name"]?.string ?? "(no title)")")
        if let description = document["description"]?.string, !description.isEmpty {
            lines += description.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }
        }
        for field in ["fileURI", "fileHash", "fileTypeExtension"] {
            if let value = document[field]?.string { lines.append("    \(field): \(value)") }
        }
        return lines
    }
}

/// A dispute with its evidence documents, as `lightbox dispute show --json` prints it.
struct DisputeDocuments: Encodable {
    let purchase: PurchaseView
    let evidence: [EvidenceDocument]
}

/// Fetches evidence documents from the server's own IPFS gateway, trusting nothing it sends: each document's DAG
/// is checked block by block against the CID the ledger recorded.
struct EvidenceReader {
    let market: MarketClient

    func documents(_ evidence: [PurchaseView.EvidenceView], buyer: String) async throws -> [EvidenceDocument] {
        let client = TrustlessGatewayClient(
            configuration: .init(gateways: [market.server], requestTimeout: .seconds(30), dagTimeout: .seconds(60)),
            http: .shared, logger: Logger(label: "lightbox.evidence"))
        var documents: [EvidenceDocument] = []
        for item in evidence {
            let side = item.party.lowercased() == buyer.lowercased() ? "buyer" : "seller"
            do {
                let document = try await read(item.cid, with: client)
                documents.append(EvidenceDocument(side: side, party: item.party, cid: item.cid, at: item.at, document: document, error: nil))
            } catch {
                documents.append(EvidenceDocument(side: side, party: item.party, cid: item.cid, at: item.at, document: nil, error: "\(error)"))
            }
        }
        return documents
    }

    private func read(_ text: String, with client: TrustlessGatewayClient) async throws -> JSONValue {
        guard let cid = try? CID(text) else { throw CommandError("\(text.prefix(80)) is not a CID") }
        let blocks = MemoryBlockSink()
        _ = try await client.fetchDAG(cid, into: blocks)
        var bytes: [UInt8] = []
        try UnixFSExtractor(source: { blocks.block($0) }).readFile(cid) { bytes += $0 }
        guard bytes.count <= EvidenceStore.maxBytes, case .object? = try? JSONValue.parse(bytes) else {
            throw CommandError("the document is not a JSON object of the ERC-1497 kind")
        }
        return try JSONValue.parse(bytes)
    }
}
