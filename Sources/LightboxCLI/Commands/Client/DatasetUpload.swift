import Foundation
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

/// Sends a dataset's files to an upload, skipping the ones the server already holds whole (same size and SHA-256),
/// with a progress bar on standard error when it is a terminal.
struct DatasetUpload {
    let market: MarketClient
    let root: String
    let quiet: Bool

    /// Sends every file; returns the upload's id.
    func send(resuming id: String?) async throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(root) is not a directory; give the dataset's directory")
        }
        let uploadID: String
        if let id {
            uploadID = id
        } else {
            uploadID = try await market.send(.POST, "/v1/uploads", bytes: nil, as: UploadResponse.self).upload.id
        }
        let existing = try await market.get("/v1/uploads/\(uploadID)", as: UploadResponse.self)
        var held: [String: (Int, String)] = [:]
        for file in existing.files ?? [] { held[file.path] = (Int(file.size), file.sha256) }
        let files = try Self.files(under: root)
        var sent = 0
        var skipped = 0
        // A few files in flight at once: the server hashes and stores one while the next is on the wire.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            func collect() async throws {
                guard let wasSent = try await group.next() else { return }
                if wasSent { sent += 1 } else { skipped += 1 }
                if !quiet { ClientOutput.progress("uploading \(ClientOutput.bar(sent + skipped, of: files.count)) \(sent + skipped)/\(files.count) files") }
            }
            for (index, path) in files.enumerated() {
                if index >= Self.inFlight { try await collect() }
                group.addTask { [market, root, held, uploadID] in
                    try await Self.send(path, from: root, to: uploadID, unless: held[path], market: market)
                }
            }
            while sent + skipped < files.count { try await collect() }
        }
        if !quiet {
            ClientOutput.endProgress()
            ClientOutput.note("upload \(uploadID): \(sent) files sent, \(skipped) already there")
        }
        return uploadID
    }

    /// Files sent at once.
    static let inFlight = 4

    /// Sends one file unless the server already holds it whole (`held`: its size and SHA-256); true when it was sent.
    static func send(_ path: String, from root: String, to upload: String, unless held: (Int, String)?, market: MarketClient) async throws -> Bool {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))
        if let (size, hash) = held, size == bytes.count, hash == SHA256.hash(bytes).hexString { return false }
        let encoded = path.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String($0) }
        _ = try await market.raw(.PUT, "/v1/uploads/\(upload)/files/" + encoded.joined(separator: "/"), body: bytes)
        return true
    }

    /// The regular files under `root`, relative, sorted; hidden files are left out.
    static func files(under root: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { throw CommandError("cannot read \(root)") }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        guard !files.isEmpty else { throw CommandError("\(root) holds no files to publish") }
        return files.sorted()
    }
}
