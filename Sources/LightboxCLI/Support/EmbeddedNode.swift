import AsyncHTTPClient
import Foundation
import JobQueue
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node
import Persistence
import Prometheus
import Server
import ServiceLifecycle
import Storage

/// A whole node in a directory of its own, for `lightbox demo` and `lightbox bench marketplace`: SQLite, the
/// node's keys, a development ledger whose governance and arbiter are the caller's accounts (or the contracts on a
/// chain), the HTTP API on a free loopback port, and job workers.
struct EmbeddedNode {
    let url: String
    let market: Marketplace

    /// Runs `body` with a node in `directory`, then stops it.
    /// Opens the node's ledger on a chain instead of the embedded one: given the node's identity, data directory and
    /// database.
    typealias ChainLedger = @Sendable (NodeIdentity, DataDirectory, any Database, Logger) async throws -> any LedgerBackend

    static func run(
        in directory: String, ledgerID: String, governance: EthereumAddress, arbiter: EthereumAddress, workers: Int = 2,
        chain: ChainLedger? = nil, _ body: (EmbeddedNode) async throws -> Void
    ) async throws {
        let logger = Logger(label: "lightbox.embedded") { _ in SwiftLogNoOpLogHandler() }
        let (dataDirectory, _) = try DataDirectory.prepare(directory + "/node")
        let database = try await DatabaseOpener.open(.sqlite(path: dataDirectory.file("lightbox.sqlite")), logger: logger)
        do {
            let migrator = Migrator(migrations: AllMigrations.list)
            _ = try await migrator.migrate(database, logger: logger)
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let assembly = MarketplaceAssembly(database: database, identity: identity, dataDirectory: dataDirectory)
            let market: Marketplace
            if let chain {
                market = try await assembly.marketplace(ledger: try await chain(identity, dataDirectory, database, logger), logger: logger)
            } else {
                let parameters = try LedgerParameters(
                    ledgerID: ledgerID, governance: governance, devMode: true, arbiters: [arbiter], qaSigners: [identity.qaSigner])
                market = try await assembly.marketplace(parameters: parameters, logger: logger)
            }
            var configuration = JobWorkerPool.Configuration()
            configuration.queues = MarketplaceAssembly.queues(market, concurrency: workers)
            configuration.pollInterval = .milliseconds(100)
            let pool = JobWorkerPool(
                queue: JobQueue(database: database, logger: logger), registry: MarketplaceAssembly.jobs(market), configuration: configuration, logger: logger)
            let dependencies = ServerDependencies(
                database: database, migrator: migrator, metrics: PrometheusCollectorRegistry(), logger: logger,
                gateway: TrustlessGateway(store: market.blocks, fill: market.fill), marketplace: market)
            let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
            let application = LightboxServer.application(dependencies, host: "127.0.0.1", port: 0) { portSink.yield($0) }
            let server = Task { try await application.run() }
            let workers = Task { try await pool.run() }
            defer {
                server.cancel()
                workers.cancel()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CommandError("the embedded node's server did not start") }
            try await body(EmbeddedNode(url: "http://127.0.0.1:\(port)", market: market))
            server.cancel()
            workers.cancel()
            _ = await server.result
            _ = await workers.result
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }
}
