public import AsyncHTTPClient
public import ContentAddressing
import Foundation
public import Logging

/// Where a node's DAGs go besides its own blockstore, and how they are checked afterwards.
public struct StorageConfiguration: Sendable {
    /// Trustless gateways, in order.
    public var gateways: [String]
    public var gatewayTimeout: Duration
    /// The Kubo RPC API, if any, and its token.
    public var kuboRPCURL: String?
    public var kuboRPCToken: String?
    /// Pinning services and their tokens.
    public var pinningServices: [(endpoint: String, token: String)]
    /// Multiaddrs pinning services can fetch from.
    public var pinningOrigins: [String]

    public init(
        gateways: [String] = [], gatewayTimeout: Duration = .seconds(120), kuboRPCURL: String? = nil,
        kuboRPCToken: String? = nil, pinningServices: [(endpoint: String, token: String)] = [], pinningOrigins: [String] = []
    ) {
        self.gateways = gateways
        self.gatewayTimeout = gatewayTimeout
        self.kuboRPCURL = kuboRPCURL
        self.kuboRPCToken = kuboRPCToken
        self.pinningServices = pinningServices
        self.pinningOrigins = pinningOrigins
    }
}

/// Publishes a DAG from the local blockstore to the configured IPFS services and proves it can be retrieved:
/// `dag/import` into Kubo (root checked, roots pinned), a pin request to every pinning service (polled until
/// pinned), then a full fetch of the DAG through the gateways, every block verified.
public struct DAGPublisher: Sendable {
    /// What was done, step by step.
    public struct Report: Sendable {
        public var kubo: String?
        public var pinned: [String] = []
        public var retrievedThrough: String?
        public var retrievedBlocks = 0
    }

    let configuration: StorageConfiguration
    let store: FileBlockStore
    let http: HTTPClient
    let logger: Logger

    public init(configuration: StorageConfiguration, store: FileBlockStore, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.http = http
        self.logger = logger
    }

    /// Publishes `root`, whose blocks must all be in the local blockstore.
    /// - Throws: ``StorageError`` from the first step that fails (`.notFound` when a block is missing locally).
    public func publish(_ root: CID, name: String, pinTimeout: Duration = .seconds(600)) async throws -> Report {
        var report = Report()
        if let url = configuration.kuboRPCURL {
            let car = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).car").path
            defer { try? FileManager.default.removeItem(atPath: car) }
            try await writeCAR(root, to: car)
            let kubo = KuboRPCClient(baseURL: url, token: configuration.kuboRPCToken, http: http, logger: logger)
            _ = try await kubo.dagImport(carPath: car, expectedRoot: root)
            report.kubo = url
        }
        for service in configuration.pinningServices {
            let client = PinningServiceClient(endpoint: service.endpoint, token: service.token, http: http, logger: logger)
            let request = try await client.pin(root, name: name, origins: configuration.pinningOrigins)
            _ = try await client.waitUntilPinned(request.requestid, timeout: pinTimeout)
            report.pinned.append(service.endpoint)
        }
        if !configuration.gateways.isEmpty {
            // Every block is fetched and verified, then dropped: the point is that the network can serve it.
            let client = TrustlessGatewayClient(
                configuration: .init(gateways: configuration.gateways, requestTimeout: configuration.gatewayTimeout),
                http: http, logger: logger)
            let summary = try await client.fetchDAG(root, into: DiscardingBlockSink())
            report.retrievedThrough = summary.gateway
            report.retrievedBlocks = summary.blockCount
        }
        return report
    }

    /// Writes the DAG under `root` from the blockstore as a CARv1 file, depth-first, each block once.
    public func writeCAR(_ root: CID, to path: String) async throws {
        let file = try AtomicFileWriter(path: path)
        do {
            try file.write(CARHeader(roots: [root]).encoded())
            try await DAGWalker(source: store.get).walk(root: root) { block in try file.write(CARSection.encode(block)) }
            try file.commit()
        } catch let error as DAGWalker.Missing {
            file.abandon()
            throw StorageError(.notFound, "\(error) in the local blockstore; add the data first")
        } catch {
            file.abandon()
            throw error
        }
    }
}
