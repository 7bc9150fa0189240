import AsyncHTTPClient
import ContentAddressing
import Foundation
import Logging
import Storage

/// Small files (evidence documents, previews) fetched by CID from the server's own IPFS gateway, trusting nothing it
/// sends: the file's DAG arrives as a CAR and every block is checked against the CID before a byte is returned.
struct GatewayFiles {
    let client: TrustlessGatewayClient

    init(market: MarketClient) {
        client = TrustlessGatewayClient(
            configuration: .init(gateways: [market.server], requestTimeout: .seconds(30), dagTimeout: .seconds(60)),
            http: market.http, logger: Logger(label: "lightbox.client"))
    }

    /// The bytes of the UnixFS file `text` names.
    func file(_ text: String) async throws -> [UInt8] {
        guard let cid = try? CID(text) else { throw CommandError("\(text.prefix(80)) is not a CID") }
        let blocks = MemoryBlockSink()
        _ = try await client.fetchDAG(cid, into: blocks)
        var bytes: [UInt8] = []
        try UnixFSExtractor(source: { blocks.block($0) }).readFile(cid) { bytes += $0 }
        return bytes
    }
}

/// What client commands save: the directory made first, each file named by the server kept inside it.
enum SavedFiles {
    static func directory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CommandError("\(path) is a file, not a directory: give a directory to save into") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandError("cannot create the directory \(path): check that its parents are directories you may write to")
        }
    }

    /// Writes `bytes` as `name` in `directory`, refusing a name that would leave it; returns the file's path.
    static func write(_ bytes: [UInt8], to directory: String, as name: String) throws -> String {
        guard !name.isEmpty, !name.contains("/"), name != "..", name != "." else { throw CommandError("the server named a file \"\(name.prefix(60))\"; nothing written") }
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw CommandError("cannot write \(path)") }
        return path
    }
}
