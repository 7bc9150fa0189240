import Foundation
import Ledger
import Marketplace

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

/// Fetches evidence documents from the server's own IPFS gateway, each checked block by block against the CID the
/// ledger recorded (``GatewayFiles``).
struct EvidenceReader {
    let market: MarketClient

    func documents(_ evidence: [PurchaseView.EvidenceView], buyer: String) async throws -> [EvidenceDocument] {
        let files = GatewayFiles(market: market)
        var documents: [EvidenceDocument] = []
        for item in evidence {
            let side = item.party.lowercased() == buyer.lowercased() ? "buyer" : "seller"
            do {
                let document = try await read(item.cid, from: files)
                documents.append(EvidenceDocument(side: side, party: item.party, cid: item.cid, at: item.at, document: document, error: nil))
            } catch {
                documents.append(EvidenceDocument(side: side, party: item.party, cid: item.cid, at: item.at, document: nil, error: "\(error)"))
            }
        }
        return documents
    }

    private func read(_ cid: String, from files: GatewayFiles) async throws -> JSONValue {
        let bytes = try await files.file(cid)
        guard bytes.count <= EvidenceStore.maxBytes, let document = try? JSONValue.parse(bytes), case .object = document else {
            throw CommandError("the document is not a JSON object of the ERC-1497 kind")
        }
        return document
    }
}
