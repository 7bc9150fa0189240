import AsyncHTTPClient
import ContentAddressing
import Foundation
import Storage
import Testing

/// The gateway client over real HTTP, against Lightbox's own gateway and one that misbehaves on purpose.
@Suite("Trustless gateway client")
struct GatewayClientTests {
    /// Serves a good gateway and a faulty one over the same DAG, and hands their URLs to `body`.
    static func withGateways(
        _ body: @escaping @Sendable (_ good: String, _ faulty: String, _ root: CID, _ files: [String: [UInt8]], _ base: String) async throws -> Void
    ) async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/origin")
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { good in
            try await StorageFixtures.serve(FaultyGateway.router(store: store)) { faulty in
                try await body(good, faulty, root, files, base)
            }
        }
    }

    @Test("a DAG fetched as a CAR is verified, stored, and extracts to the original files")
    func fetchDAG() async throws {
        try await Self.withGateways { good, _, root, files, base in
            let local = try FileBlockStore(directory: base + "/local")
            let summary = try await StorageFixtures.gatewayClient([good]).fetchDAG(root, into: local)
            #expect(summary.gateway == good)
            try UnixFSExtractor(source: local.get).extract(root, to: base + "/out")
            for (path, bytes) in files {
                #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/out/" + path))) == bytes)
            }
            let block = try await StorageFixtures.gatewayClient([good]).fetchBlock(root)
            #expect(block.cid == root)
        }
    }

    @Test("every kind of bad answer is refused, and the client fails over to the next gateway", arguments: FaultyGateway.Fault.allCases)
    func failover(fault: FaultyGateway.Fault) async throws {
        guard fault != .slow else { return }
        try await Self.withGateways { good, faulty, root, _, base in
            let local = try FileBlockStore(directory: base + "/local-\(fault)")
            let client = StorageFixtures.gatewayClient(["\(faulty)/\(fault.rawValue)", good])
            let summary = try await client.fetchDAG(root, into: local)
            #expect(summary.gateway == (fault == .flaky || fault == .padded ? "\(faulty)/\(fault.rawValue)" : good))
            #expect(try await client.fetchBlock(root).cid == root)
            let stranger = CID.v1(.raw, Multihash.sha256(Array("stranger".utf8)))
            #expect(!local.has(stranger))
        }
    }

    @Test("with only bad gateways the fetch fails, saying what each did, and keeps nothing unverified")
    func allBad() async throws {
        try await Self.withGateways { _, faulty, root, _, base in
            let local = try FileBlockStore(directory: base + "/local")
            let gateways = [FaultyGateway.Fault.corrupt, .truncated, .oversized, .incomplete, .wrongType, .missing].map { "\(faulty)/\($0.rawValue)" }
            let client = StorageFixtures.gatewayClient(gateways)
            do {
                _ = try await client.fetchDAG(root, into: local)
                Issue.record("a fetch from bad gateways succeeded")
            } catch let error as StorageError {
                #expect(error.code == .gatewayFailed)
                for gateway in gateways { #expect(error.message.contains(gateway)) }
                #expect(error.message.contains("do not hash"))
                #expect(error.message.contains("ended in the middle of a block"))
                #expect(error.message.contains("larger than 2 MiB"))
                #expect(error.message.contains("without 1 block"))
            }
            // Whatever was kept was verified: every stored block reads back (reads re-verify).
            for file in try FileManager.default.subpathsOfDirectory(atPath: base + "/local") where file.hasSuffix(".data") {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/local/" + file)))
                #expect(try local.get(CID.v1(.raw, Multihash.sha256(bytes))) != nil)
            }
            await #expect(throws: StorageError(.gatewayFailed, "")) {
                try await StorageFixtures.gatewayClient(["\(faulty)/corrupt", "\(faulty)/oversized", "\(faulty)/truncated"]).fetchBlock(root)
            }
        }
    }

    @Test("a gateway that does not answer in time is given up on")
    func timeout() async throws {
        try await Self.withGateways { good, faulty, root, _, _ in
            let client = TrustlessGatewayClient(
                configuration: .init(gateways: ["\(faulty)/slow", good], attemptsPerGateway: 1, requestTimeout: .milliseconds(1500)),
                http: .shared, logger: StorageFixtures.logger)
            let block = try await client.fetchBlock(root)
            #expect(block.cid == root)
        }
    }

    @Test("an unsupported CID is refused before anything is asked")
    func unsupported() async throws {
        let client = StorageFixtures.gatewayClient(["http://127.0.0.1:9"])
        await #expect(throws: StorageError(.invalidRequest, "")) {
            try await client.fetchBlock(CID.v1(.dagCBOR, Multihash.sha256([1])))
        }
        await #expect(throws: StorageError(.configuration, "")) {
            try await StorageFixtures.gatewayClient([]).fetchBlock(CID.v1(.raw, Multihash.sha256([1])))
        }
    }
}
