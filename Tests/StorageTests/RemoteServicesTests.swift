import AsyncHTTPClient
import ContentAddressing
import Foundation
import Storage
import Synchronization
import Testing

/// The Kubo RPC and pinning clients, over real HTTP against stand-ins that follow those APIs.
@Suite("Kubo RPC and pinning service clients")
struct RemoteServicesTests {
    @Test("dag/import of a CAR built here: the root Kubo reports is checked; pin/add; block/get is verified")
    func kubo() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try StorageFixtures.writeDataset(at: base + "/data")
        let importer = UnixFSImporter(options: try ImportOptions(cidVersion: 1))
        let writer = try CARFileWriter(path: base + "/data.car", rootCIDLength: try importer.rootCIDLength(forPath: base + "/data"))
        let root = try importer.importPath(base + "/data", into: writer).cid
        try writer.finish(root: root)

        let kuboStore = try FileBlockStore(directory: base + "/kubo")
        let pins = KuboRPCMock.Pins()
        try await StorageFixtures.serve(KuboRPCMock.router(store: kuboStore, behaviour: .init(token: "s3cret"), pins: pins)) { url in
            let client = KuboRPCClient(baseURL: url, token: "s3cret", http: .shared, logger: StorageFixtures.logger)
            #expect(try await client.dagImport(carPath: base + "/data.car", expectedRoot: root) == root)
            #expect(pins.contains(root.description))
            try await client.pinAdd(root)
            #expect(try await client.blockGet(root).cid == root)
            let absent = CID.v1(.raw, Multihash.sha256([4, 2]))
            await #expect(throws: StorageError(.kuboFailed, "")) { try await client.pinAdd(absent) }
            let wrongToken = KuboRPCClient(baseURL: url, token: "guess", http: .shared, logger: StorageFixtures.logger)
            await #expect(throws: StorageError(.kuboFailed, "")) { try await wrongToken.blockGet(root) }
        }
        try await StorageFixtures.serve(KuboRPCMock.router(store: kuboStore, behaviour: .init(lieAboutRoots: true, corruptBlocks: true), pins: pins)) { url in
            let client = KuboRPCClient(baseURL: url, http: .shared, logger: StorageFixtures.logger)
            do {
                _ = try await client.dagImport(carPath: base + "/data.car", expectedRoot: root)
                Issue.record("a wrong root from Kubo was accepted")
            } catch let error as StorageError {
                #expect(error.code == .kuboFailed && error.message.contains("not \(root)"))
            }
            await #expect(throws: StorageError(.kuboFailed, "")) { try await client.blockGet(root) }
        }
    }

    @Test("a pin request is polled until pinned; the service fetched and verified the DAG from our gateway")
    func pinning() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/origin")
        let serviceStore = try FileBlockStore(directory: base + "/service")
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { gateway in
            let origin = "/ip4/127.0.0.1/tcp/\(URL(string: gateway)!.port!)/http"
            try await StorageFixtures.serve(PinningServiceMock.router(token: "tok", fetchInto: serviceStore)) { service in
                let client = PinningServiceClient(endpoint: service, token: "tok", http: .shared, logger: StorageFixtures.logger)
                let requested = try await client.pin(root, name: "dataset-1", origins: [origin], meta: ["listing": "1"])
                #expect(requested.status == .queued)
                let pinned = try await client.waitUntilPinned(requested.requestid, timeout: .seconds(30), pollInterval: .milliseconds(10))
                #expect(pinned.status == .pinned && pinned.pin.cid == root.description)
                #expect(try serviceStore.get(root) != nil)

                let absent = CID.v1(.raw, Multihash.sha256([7]))
                let doomed = try await client.pin(absent, origins: [origin])
                await #expect(throws: StorageError(.pinningFailed, "")) {
                    try await client.waitUntilPinned(doomed.requestid, timeout: .seconds(30), pollInterval: .milliseconds(10))
                }
                let stuck = try await client.pin(root, origins: [origin])
                await #expect(throws: StorageError(.pinningTimedOut, "")) {
                    try await client.waitUntilPinned(stuck.requestid, timeout: .milliseconds(50), pollInterval: .milliseconds(40))
                }
                let intruder = PinningServiceClient(endpoint: service, token: "wrong", http: .shared, logger: StorageFixtures.logger)
                do {
                    _ = try await intruder.pin(root)
                    Issue.record("a wrong token was accepted")
                } catch let error as StorageError {
                    #expect(error.code == .pinningFailed && error.message.contains("401") && error.message.contains("UNAUTHORIZED"))
                }
            }
        }
    }
}

@Suite("Publishing a DAG")
struct PublishingTests {
    @Test("publish imports into Kubo, pins with the service, and proves retrieval through a gateway")
    func publish() async throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try StorageFixtures.writeDataset(at: base + "/data")
        let (store, root) = try StorageFixtures.store(with: base + "/data", at: base + "/origin")
        let kuboStore = try FileBlockStore(directory: base + "/kubo")
        let serviceStore = try FileBlockStore(directory: base + "/service")
        let pins = KuboRPCMock.Pins()
        try await StorageFixtures.serve(try await StorageFixtures.gatewayRouter(store)) { gateway in
            try await StorageFixtures.serve(KuboRPCMock.router(store: kuboStore, pins: pins)) { kubo in
                try await StorageFixtures.serve(PinningServiceMock.router(token: "t", fetchInto: serviceStore)) { service in
                    let configuration = StorageConfiguration(
                        gateways: [gateway], kuboRPCURL: kubo, pinningServices: [(service, "t")],
                        pinningOrigins: ["/ip4/127.0.0.1/tcp/\(URL(string: gateway)!.port!)/http"])
                    let publisher = DAGPublisher(configuration: configuration, store: store, http: .shared, logger: StorageFixtures.logger)
                    let report = try await publisher.publish(root, name: "ds", pinTimeout: .seconds(30))
                    #expect(report.kubo == kubo && report.pinned == [service] && report.retrievedThrough == gateway)
                    #expect(report.retrievedBlocks > 5)
                    #expect(pins.contains(root.description))
                    #expect(try kuboStore.get(root) != nil && (try serviceStore.get(root)) != nil)

                    let missing = CID.v1(.raw, Multihash.sha256([1, 1]))
                    await #expect(throws: StorageError(.notFound, "")) {
                        try await publisher.publish(missing, name: "nothing")
                    }
                }
            }
        }
    }
}
