import AsyncHTTPClient
import ContentAddressing
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Persistence
import Prometheus
import Server
import Storage

/// Shared pieces of the storage tests: temporary directories, a blockstore holding a sample DAG, and a
/// Lightbox gateway served for real on a loopback port.
enum StorageFixtures {
    static let logger = Logger(label: "lightbox.tests.storage")

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-st-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A small dataset tree: nested directories, an empty file, a multi-chunk file.
    static func writeDataset(at path: String) throws -> [String: [UInt8]] {
        let files: [String: [UInt8]] = [
            "images/cat.png": randomBytes(70_000),
            "images/nested/dog.jpg": randomBytes(300_000),
            "labels.json": Array(#"{"categories":["cat","dog"]}"#.utf8),
            "empty.txt": [],
        ]
        for (relative, bytes) in files {
            let url = URL(fileURLWithPath: path + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return files
    }

    /// A blockstore holding the DAG of `directory`, imported as CIDv1.
    static func store(with directory: String, at storePath: String) throws -> (store: FileBlockStore, root: CID) {
        let store = try FileBlockStore(directory: storePath)
        let root = try UnixFSImporter(options: ImportOptions(cidVersion: 1)).importPath(directory, into: store).cid
        return (store, root)
    }

    /// Serves `router` on a loopback port and passes its base URL.
    static func serve<Context: RequestContext & InitializableFromSource<ApplicationRequestContextSource>>(
        _ router: Router<Context>, _ body: @escaping @Sendable (String) async throws -> Void
    ) async throws {
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    /// Lightbox's own router with the gateway over `store`, filling from `fill`'s gateways when given.
    static func gatewayRouter(_ store: FileBlockStore, fill: PeerBlockFill? = nil) async throws -> Router<LightboxRequestContext> {
        let database = try await SQLiteDatabase(path: temporaryDirectory() + "/db.sqlite")
        let dependencies = ServerDependencies(
            database: database, migrator: Migrator(migrations: []), metrics: PrometheusCollectorRegistry(), logger: logger,
            gateway: TrustlessGateway(store: store, fill: fill))
        return LightboxServer.router(dependencies)
    }

    static func gatewayClient(_ gateways: [String]) -> TrustlessGatewayClient {
        TrustlessGatewayClient(
            configuration: .init(gateways: gateways, attemptsPerGateway: 2, requestTimeout: .seconds(10), retryDelay: .milliseconds(20)),
            http: HTTPClient.shared, logger: logger)
    }
}
