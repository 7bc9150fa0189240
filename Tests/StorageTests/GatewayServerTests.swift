import AsyncHTTPClient
import ContentAddressing
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import Testing

/// Lightbox's trustless gateway, asked over real HTTP the way the trustless gateway specification describes.
@Suite("Trustless gateway (server)")
struct GatewayServerTests {
    static func get(_ url: String, accept: String? = nil, method: HTTPMethod = .GET, headers: [(String, String)] = [])
        async throws -> (status: UInt, headers: HTTPHeaders, body: [UInt8])
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let accept { request.headers.add(name: "Accept", value: accept) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var body = [UInt8]()
        for try await buffer in response.body { body += buffer.readableBytesView }
        return (response.status.code, response.headers, body)
    }

    static func carBlocks(_ body: [UInt8]) throws -> (roots: [CID], blocks: [Block]) {
        var reader = CARReader()
        reader.push(body)
        var blocks = [Block]()
        while let block = try reader.nextBlock() { blocks.append(block) }
        try reader.finish()
        return (reader.header?.roots ?? [], blocks)
    }

    @Test("raw blocks: body, headers, HEAD, the bafkqaaa probe, 404, and a path refused")
    func rawBlocks() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/blocks")
        let rootBlock = try #require(try store.get(root))
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { url in
            let raw = try await Self.get("\(url)/ipfs/\(root)?format=raw")
            #expect(raw.status == 200)
            #expect(raw.body == rootBlock.bytes)
            #expect(raw.headers.first(name: "Content-Type") == "application/vnd.ipld.raw")
            #expect(raw.headers.first(name: "Cache-Control") == "public, max-age=29030400, immutable")
            #expect(raw.headers.first(name: "X-Ipfs-Roots") == root.description)
            #expect(raw.headers.first(name: "Etag") == "\"\(root).raw\"")
            let byAccept = try await Self.get("\(url)/ipfs/\(root)", accept: "application/vnd.ipld.raw")
            #expect(byAccept.status == 200 && byAccept.body == rootBlock.bytes)
            let head = try await Self.get("\(url)/ipfs/\(root)?format=raw", method: .HEAD)
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(head.headers.first(name: "Content-Length") == String(rootBlock.bytes.count))
            let probe = try await Self.get("\(url)/ipfs/bafkqaaa?format=raw")
            #expect(probe.status == 200 && probe.body.isEmpty)
            let missing = CID.v1(.raw, Multihash.sha256([9, 9, 9]))
            #expect(try await Self.get("\(url)/ipfs/\(missing)?format=raw").status == 404)
            #expect(try await Self.get("\(url)/ipfs/\(missing)?format=raw", headers: [("Cache-Control", "only-if-cached")]).status == 412)
            let withPath = try await Self.get("\(url)/ipfs/\(root)/labels.json?format=raw")
            #expect(withPath.status == 400)
            #expect(String(decoding: withPath.body, as: UTF8.self).contains("\"code\":\"bad_request\""))
        }
    }

    @Test("bad requests: not a CID, an unsupported codec or hash, a deserialised response, bad parameters")
    func badRequests() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = try FileBlockStore(directory: base + "/blocks")
        let cid = CID.v1(.raw, Multihash.sha256([1]))
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { url in
            #expect(try await Self.get("\(url)/ipfs/not-a-cid?format=raw").status == 400)
            let cbor = CID.v1(.dagCBOR, Multihash.sha256([1]))
            let unsupported = try await Self.get("\(url)/ipfs/\(cbor)?format=raw")
            #expect(unsupported.status == 400)
            #expect(String(decoding: unsupported.body, as: UTF8.self).contains("dag-cbor"))
            #expect(try await Self.get("\(url)/ipfs/bafk2bzacea3x5aqndnpkgi5btxt5m2loq2ydy2lp7b3omjtdxwmttnbzimsnq?format=raw").status == 400)
            let plain = try await Self.get("\(url)/ipfs/\(cid)")
            #expect(plain.status == 406)
            #expect(String(decoding: plain.body, as: UTF8.self).contains("format=raw"))
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=tar").status == 406)
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=car&dag-scope=most").status == 400)
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=car&car-version=2").status == 400)
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=car&dag-scope=entity&entity-bytes=9:1").status == 400)
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=car&entity-bytes=0:1").status == 400)
        }
    }

    @Test("CARs: the whole DAG in DFS order without duplicates, dag-scope, paths and entity-bytes")
    func cars() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/blocks")
        let everyBlock = MemoryBlockSink()
        _ = try UnixFSImporter(options: ImportOptions(cidVersion: 1)).importPath(base + "/data", into: everyBlock)
        let distinct = Set(everyBlock.blocks.map(\.cid))
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { url in
            let all = try await Self.get("\(url)/ipfs/\(root)?format=car")
            #expect(all.status == 200)
            #expect(all.headers.first(name: "Content-Type") == "application/vnd.ipld.car; version=1; order=dfs; dups=n")
            let car = try Self.carBlocks(all.body)
            #expect(car.roots == [root])
            #expect(car.blocks.first?.cid == root)
            #expect(Set(car.blocks.map(\.cid)) == distinct)
            #expect(car.blocks.count == distinct.count)

            let block = try Self.carBlocks(try await Self.get("\(url)/ipfs/\(root)?format=car&dag-scope=block").body)
            #expect(block.blocks.map(\.cid) == [root])

            let file = try await Self.get("\(url)/ipfs/\(root)/images/nested/dog.jpg?format=car&dag-scope=entity")
            #expect(file.status == 200)
            let fileCAR = try Self.carBlocks(file.body)
            // Path blocks (root, images, nested) come first, then the file's DAG.
            #expect(fileCAR.blocks.count == 3 + 1 + 2)
            let leaves = fileCAR.blocks.filter { $0.cid.codec == .raw }.flatMap(\.bytes)
            #expect(leaves == files["images/nested/dog.jpg"])

            let range = try Self.carBlocks(try await Self.get(
                "\(url)/ipfs/\(root)/images/nested/dog.jpg?format=car&dag-scope=entity&entity-bytes=270000:*").body)
            #expect(range.blocks.filter { $0.cid.codec == .raw }.flatMap(\.bytes) == Array(files["images/nested/dog.jpg"]![262_144...]))

            #expect(try await Self.get("\(url)/ipfs/\(root)/nope.txt?format=car").status == 404)
            let head = try await Self.get("\(url)/ipfs/\(root)?format=car", method: .HEAD)
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test("a block damaged on disk is never served: the request fails and the block is dropped")
    func damagedBlock() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = try FileBlockStore(directory: base + "/blocks")
        let bytes = StorageFixtures.randomBytes(1000)
        let cid = CID.v1(.raw, Multihash.sha256(bytes))
        try store.put(Block(cid: cid, bytes: bytes))
        let path = try #require(FileManager.default.enumerator(atPath: base + "/blocks")?.allObjects
            .compactMap { $0 as? String }.first { $0.hasSuffix(".data") })
        var damaged = bytes
        damaged[500] ^= 0xff
        try Data(damaged).write(to: URL(fileURLWithPath: base + "/blocks/" + path))
        let damagedBytes = damaged
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { url in
            let response = try await Self.get("\(url)/ipfs/\(cid)?format=raw")
            #expect(response.status == 500)
            #expect(response.body != damagedBytes)
            #expect(try await Self.get("\(url)/ipfs/\(cid)?format=raw").status == 404)
        }
        #expect(!store.has(cid))
    }
}
