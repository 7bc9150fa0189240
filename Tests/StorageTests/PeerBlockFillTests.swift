import AsyncHTTPClient
import ContentAddressing
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import Testing

/// A gateway whose disk lacks a DAG fetches it from the node's other processes, over real HTTP.
@Suite("Gateway filling from peers")
struct PeerBlockFillTests {
    /// An origin gateway holding a dataset's DAG, a faulty one over the same blocks, and a peer with an empty disk
    /// that fills from `peerGateways(origin, faulty)`.
    static func withPeer(
        filling peerGateways: @escaping @Sendable (_ origin: String, _ faulty: String) -> [String],
        _ body: @escaping @Sendable (_ peer: String, _ peerStore: FileBlockStore, _ root: CID, _ files: [String: [UInt8]], _ base: String) async throws -> Void
    ) async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/origin")
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { origin in
            try await StorageFixtures.serve(FaultyGateway.router(store: store)) { faulty in
                let peerStore = try FileBlockStore(directory: base + "/peer")
                let fill = PeerBlockFill(
                    store: peerStore, gateways: peerGateways(origin, faulty), timeout: .seconds(10), http: .shared,
                    logger: StorageFixtures.logger)
                try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(peerStore, fill: fill)) { peer in
                    try await body(peer, peerStore, root, files, base)
                }
            }
        }
    }

    static func status(_ url: String, onlyIfCached: Bool = false) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        if onlyIfCached { request.headers.add(name: "Cache-Control", value: "only-if-cached") }
        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status.code)
    }

    @Test("a CAR asked of the peer is fetched from the origin, verified, kept, and served whole")
    func fillsDAG() async throws {
        try await Self.withPeer(filling: { origin, _ in [origin] }) { peer, peerStore, root, files, base in
            #expect(!peerStore.has(root))
            // Asked only for what it holds, the peer does not fetch: 412, and its disk stays empty.
            #expect(try await Self.status("\(peer)/ipfs/\(root)?format=car", onlyIfCached: true) == 412)
            #expect(!peerStore.has(root))
            let local = try FileBlockStore(directory: base + "/client")
            let summary = try await StorageFixtures.gatewayClient([peer]).fetchDAG(root, into: local)
            #expect(summary.gateway == peer && peerStore.has(root))
            try UnixFSExtractor(source: local.get).extract(root, to: base + "/out")
            for (path, bytes) in files {
                #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/out/" + path))) == bytes)
            }
            // Now it holds the DAG, so it answers only-if-cached too.
            #expect(try await Self.status("\(peer)/ipfs/\(root)?format=car", onlyIfCached: true) == 200)
        }
    }

    @Test("a raw block is filled on its own")
    func fillsBlock() async throws {
        try await Self.withPeer(filling: { origin, _ in [origin] }) { peer, peerStore, root, _, _ in
            let block = try await StorageFixtures.gatewayClient([peer]).fetchBlock(root)
            #expect(block.cid == root && peerStore.has(root))
        }
    }

    @Test("bad data from a peer is not kept: the request is not found, and the root never stored", arguments: [
        FaultyGateway.Fault.corrupt, .truncated, .incomplete, .missing,
    ])
    func refusesBadPeers(fault: FaultyGateway.Fault) async throws {
        try await Self.withPeer(filling: { _, faulty in ["\(faulty)/\(fault.rawValue)"] }) { peer, peerStore, root, _, _ in
            let status = try await Self.status("\(peer)/ipfs/\(root)?format=car")
            #expect(status == 404)
            #expect(!peerStore.has(root))
        }
    }
}
