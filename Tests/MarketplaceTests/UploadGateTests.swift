import AsyncHTTPClient
import Foundation
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOCore
import NIOHTTP1
import Testing

/// The quality gate holds: once an upload is sealed, the files the check reads cannot change, and what the node
/// attests is exactly what it checked. Over real HTTP, on both backends.
@Suite("Marketplace: the sealed upload")
struct UploadGateTests {
    @Test("a PUT that finishes after the seal is refused and leaves nothing; one that finishes before is sealed with the rest", arguments: Backend.allCases)
    func stalledTransfer(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let upload = try await node.upload(dataset, token: token)
            let target = try #require(try Self.firstImage(in: dataset))
            let original = try Array(Data(contentsOf: URL(fileURLWithPath: dataset + "/" + target)))
            let truncated = Array(original.prefix(original.count / 2))

            // The attack: a PUT of a truncated copy, stalled after its first bytes, finished once the upload is sealed.
            let (pieces, sender) = AsyncStream.makeStream(of: ByteBuffer.self)
            var request = HTTPClientRequest(url: node.url + "/v1/uploads/\(upload)/files/\(target)")
            request.method = .PUT
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .stream(pieces, length: .known(Int64(truncated.count)))
            let put = Task { try await HTTPClient.shared.execute(request, timeout: .seconds(60)) }
            sender.yield(ByteBuffer(bytes: truncated.prefix(64)))
            try await Task.sleep(for: .milliseconds(500))
            let created = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": upload, "title": "Street scenes", "task": "detection", "price": "25", "licence": "commercial",
            ])
            #expect(created.status == 202, "\(created.text)")
            sender.yield(ByteBuffer(bytes: truncated.dropFirst(64)))
            sender.finish()
            let response = try await put.value
            var body = [UInt8]()
            for try await buffer in response.body { body += buffer.readableBytesView }
            #expect(response.status.code == 409, "\(String(decoding: body, as: UTF8.self))")
            #expect(String(decoding: body, as: UTF8.self).contains("sealed"))

            // Nothing of it was kept: the record, the file and the staging folder are as before.
            let sealed = try await node.market.uploads.files(of: upload, logger: MarketplaceHarness.logger)
            #expect(sealed.first { $0.path == target }?.sha256 == SHA256.hash(original).hexString)
            let onDisk = try Array(Data(contentsOf: URL(fileURLWithPath: node.market.uploads.directory(of: upload) + "/" + target)))
            #expect(onDisk == original)
            let staging = node.market.uploads.directory(of: upload) + ".partial"
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty)

            // The check reads the sealed files: the dataset passes and is stored.
            let id = try #require((created.json["publication"] as? [String: Any])?["id"] as? String)
            let stored = try await node.waitForPublication(id, token: token, states: ["awaiting_signature", "rejected", "failed"])
            #expect((stored.json["publication"] as? [String: Any])?["state"] as? String == "awaiting_signature", "\(stored.text)")

            // The other order: a file whose transfer ends before the seal is part of what is sealed.
            let second = try await node.upload(dataset, token: token)
            let note = Array("collected in 2026".utf8)
            let early = try await node.call(.PUT, "/v1/uploads/\(second)/files/notes/readme.txt", token: token, bytes: note)
            #expect(early.status == 201)
            let publishing = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": second, "title": "Street scenes", "task": "detection", "price": "25", "licence": "commercial",
            ])
            #expect(publishing.status == 202)
            let late = try await node.call(.PUT, "/v1/uploads/\(second)/files/notes/later.txt", token: token, bytes: note)
            #expect(late.status == 409)
            let paths = try await node.market.uploads.files(of: second, logger: MarketplaceHarness.logger).map(\.path)
            #expect(paths.contains("notes/readme.txt") && !paths.contains("notes/later.txt"))
        }
    }

    @Test("a file changed on disk behind the upload's back is caught before anything is attested", arguments: Backend.allCases)
    func changedBehindTheRecord(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let upload = try await node.upload(dataset, token: token)
            let target = try #require(try Self.firstImage(in: dataset))
            // The upload's record says one thing; the folder now holds another (as a writer outside the store would).
            let path = node.market.uploads.directory(of: upload) + "/" + target
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
            let created = try await node.call(.POST, "/v1/publications", token: token, json: [
                "upload_id": upload, "title": "Street scenes", "task": "detection", "price": "25", "licence": "commercial",
            ])
            let id = try #require((created.json["publication"] as? [String: Any])?["id"] as? String)
            let ended = try await node.waitForPublication(id, token: token, states: ["awaiting_signature", "rejected", "failed"])
            let publication = try #require(ended.json["publication"] as? [String: Any])
            #expect(publication["state"] as? String == "rejected")
            #expect((publication["error"] as? String)?.contains("not the ones sealed") == true, "\(ended.text)")
            #expect(publication["attestation"] == nil || publication["attestation"] is NSNull)
        }
    }

    @Test("parallel transfers cannot together pass the upload's byte and file limits", arguments: Backend.allCases)
    func parallelLimits(_ backend: Backend) async throws {
        let limits = UploadLimits(fileBytes: 1 << 20, uploadBytes: 1_000_000, files: 8)
        try await MarketplaceHarness.run(backend, limits: limits) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let created = try await node.call(.POST, "/v1/uploads", token: token)
            let upload = try #require((created.json["upload"] as? [String: Any])?["id"] as? String)
            let piece = [UInt8](repeating: 0x61, count: 200_000)
            let statuses = try await Self.putAtOnce(node, (0..<12).map { "/v1/uploads/\(upload)/files/notes/\($0).txt" }, token: token, bytes: piece)
            let refusedOrKept = statuses.filter { $0 == 201 || $0 == 413 }.count
            #expect(refusedOrKept == statuses.count, "\(statuses)")
            let accepted = statuses.filter { $0 == 201 }.count
            #expect(accepted == 5, "\(statuses)")
            let held = try await node.market.uploads.files(of: upload, logger: MarketplaceHarness.logger)
            var heldBytes: Int64 = 0
            for file in held { heldBytes += file.size }
            #expect(held.count == accepted)
            #expect(heldBytes <= 1_000_000)
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: node.market.uploads.directory(of: upload) + "/notes")
            #expect(Set(onDisk.map { "notes/" + $0 }) == Set(held.map(\.path)))

            // The file count holds the same way.
            let other = try await node.call(.POST, "/v1/uploads", token: token)
            let small = try #require((other.json["upload"] as? [String: Any])?["id"] as? String)
            let counts = try await Self.putAtOnce(node, (0..<16).map { "/v1/uploads/\(small)/files/n/\($0).txt" }, token: token, bytes: [1])
            let kept = counts.filter { $0 == 201 }.count
            #expect(kept == 8, "\(counts)")
            #expect(try await node.market.uploads.files(of: small, logger: MarketplaceHarness.logger).count == 8)
        }
    }

    @Test("open uploads per account, account storage, deletion, and expiry by the sweeper's timer", arguments: Backend.allCases)
    func quotasAndExpiry(_ backend: Backend) async throws {
        let limits = UploadLimits(
            fileBytes: 1 << 20, uploadBytes: 4 << 20, files: 100, openUploadsPerAccount: 2, accountBytes: 500_000, expirySeconds: 1)
        try await MarketplaceHarness.run(backend, limits: limits) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            var uploads: [String] = []
            for _ in 0..<2 {
                let created = try await node.call(.POST, "/v1/uploads", token: token)
                #expect(created.status == 201)
                uploads.append(try #require((created.json["upload"] as? [String: Any])?["id"] as? String))
            }
            let third = try await node.call(.POST, "/v1/uploads", token: token)
            #expect(third.status == 409 && third.text.contains("open uploads"), "\(third.text)")

            // The account's bytes count across its uploads and its evidence.
            let piece = [UInt8](repeating: 0x62, count: 300_000)
            #expect(try await node.call(.PUT, "/v1/uploads/\(uploads[0])/files/a.txt", token: token, bytes: piece).status == 201)
            let over = try await node.call(.PUT, "/v1/uploads/\(uploads[1])/files/b.txt", token: token, bytes: piece)
            #expect(over.status == 413 && over.text.contains("quota"), "\(over.text)")
            let evidence = Array(#"{"name":"n","description":"\#(String(repeating: "x", count: 220_000))"}"#.utf8)
            let refused = try await node.call(.POST, "/v1/evidence", token: token, bytes: evidence)
            #expect(refused.status == 413, "\(refused.text)")

            // Deleting an upload frees its place and its bytes.
            #expect(try await node.call(.DELETE, "/v1/uploads/\(uploads[0])", token: token).status == 204)
            #expect(!FileManager.default.fileExists(atPath: node.market.uploads.directory(of: uploads[0])))
            #expect(try await node.call(.PUT, "/v1/uploads/\(uploads[1])/files/b.txt", token: token, bytes: piece).status == 201)
            #expect(try await node.call(.POST, "/v1/uploads", token: token).status == 201)

            // Left idle past the expiry, an open upload is removed by the sweeper running on its timer.
            let sweeper = Task { await MarketplaceSweeper(market: node.market).run(every: .milliseconds(200), logger: MarketplaceHarness.logger) }
            defer { sweeper.cancel() }
            // The state is committed first and the files deleted right after: wait for both.
            let folder = node.market.uploads.directory(of: uploads[1])
            var state: String?
            for _ in 0..<100 {
                state = ((try await node.call(.GET, "/v1/uploads/\(uploads[1])", token: token)).json["upload"] as? [String: Any])?["state"] as? String
                if state == "removed" && !FileManager.default.fileExists(atPath: folder) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(state == "removed")
            #expect(!FileManager.default.fileExists(atPath: folder))
            let late = try await node.call(.PUT, "/v1/uploads/\(uploads[1])/files/c.txt", token: token, bytes: [1])
            #expect(late.status == 409 && late.text.contains("removed"), "\(late.text)")
        }
    }

    /// Sends a PUT of `bytes` to every path at once; the statuses, in no order.
    static func putAtOnce(_ node: MarketplaceHarness, _ paths: [String], token: String, bytes: [UInt8]) async throws -> [UInt] {
        try await withThrowingTaskGroup(of: UInt.self) { group in
            for path in paths {
                group.addTask { try await node.call(.PUT, path, token: token, bytes: bytes).status }
            }
            var statuses: [UInt] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
    }

    static func firstImage(in dataset: String) throws -> String? {
        FileManager.default.enumerator(atPath: dataset)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }
            .sorted().first
    }

    @Test("an upload's files are taken, expired and cleared only by the data directory that received them", arguments: Backend.allCases)
    func boundToItsDisk(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let key = Secp256k1.PrivateKey.random()
            let owner = EthereumAddress(publicKey: key.publicKey)
            let token = try await node.signIn(key)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let upload = try await node.upload(dataset, token: token)
            // Another process of the node, on another machine: same database, its own disk.
            let elsewhere = UploadStore(
                database: node.market.database, root: dataset + "-elsewhere", limits: node.market.uploads.limits,
                disk: "00112233aabbccdd")
            await #expect(throws: MarketplaceError.self) {
                try await elsewhere.localUpload(upload, owner: owner, logger: MarketplaceHarness.logger)
            }
            do {
                _ = try await elsewhere.localUpload(upload, owner: owner, logger: MarketplaceHarness.logger)
            } catch let error as MarketplaceError {
                #expect(error.code == .conflict && error.message.contains("send every request for one upload to the same server"))
            }
            #expect(try await node.market.uploads.localUpload(upload, owner: owner, logger: MarketplaceHarness.logger).id == upload)
            let later = Date().addingTimeInterval(TimeInterval(node.market.uploads.limits.expirySeconds + 60))
            #expect(try await elsewhere.expireIdle(now: later, logger: MarketplaceHarness.logger).isEmpty)
            #expect(try await node.market.uploads.expireIdle(now: later, logger: MarketplaceHarness.logger) == [upload])
        }
    }
}
