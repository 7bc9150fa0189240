import ArgumentParser
import Foundation
import AsyncHTTPClient
import JobQueue
import Ledger
import Logging
import Marketplace
import Node
import NIOCore
import Server
import ServiceLifecycle
import Storage
import Vision

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API (and, in the embedded mode, the background workers) until SIGTERM or SIGINT.",
        discussion: """
            Serves /healthz, /readyz, /metrics and a trustless IPFS gateway (/ipfs/{cid}?format=raw|car) over the node's blockstore. On SIGTERM or SIGINT it stops accepting connections, lets \
            in-flight requests finish (up to http.shutdown-timeout seconds), and exits 0.
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @OptionGroup var httpOptions: HTTPOptions

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load(extra: httpOptions.flags)
            let (logger, metrics) = NodeLauncher.bootstrap(settings)
            try await PortCheck.ensureAvailable(host: settings.httpHost, port: settings.httpPort)
            let runtime = try await NodeLauncher.start(settings, logger: logger)
            let market = try await NodeMarketplace.assemble(runtime, logger: logger)
            let blocks = market.blocks
            let dependencies = ServerDependencies(
                database: runtime.database, migrator: runtime.migrator, metrics: metrics, logger: logger,
                adminToken: settings.adminToken, gateway: TrustlessGateway(store: blocks, fill: market.fill), marketplace: market,
                rateLimits: RateLimits(settings), timeouts: HTTPTimeouts(settings)
            )
            let host = settings.httpHost
            let application = LightboxServer.application(dependencies, host: host, port: settings.httpPort) { port in
                logger.info("listening", metadata: ["address": "http://\(host):\(port)"])
            }
            var services: [any Service] = []
            // Listed in start order; the group stops them in reverse: HTTP drains first, then the workers finish
            // their jobs, then the process is marked stopped.
            if settings.workersInProcess {
                services.append(PresenceService(role: "serve+workers", database: runtime.database, logger: logger))
                services.append(JobKinds.workerPool(runtime, logger: logger, market: market))
            } else {
                services.append(PresenceService(role: "serve", database: runtime.database, logger: logger))
                services.append(JobKinds.workerPool(runtime, logger: logger, market: market, onlyThisDisk: true))
            }
            services.append(SweeperService(sweeper: MarketplaceSweeper(market: market), interval: settings.sweepInterval, logger: logger))
            if settings.anchorRPCURL != nil || settings.anchorContract != nil {
                guard let log = market.ledger.log else {
                    throw CommandError("ledger.anchor.* anchors an embedded ledger; this node's ledger is on a chain already (ledger.backend=evm)")
                }
                let publisher = try await AnchorSetup.publisher(runtime, log: log, logger: logger)
                services.append(LogAnchorService(publisher: publisher, interval: .seconds(min(30, Int(settings.anchorEverySeconds))), logger: logger))
            }
            services.append(application)
            do {
                try await ServiceRunner.run(services, settings: settings, logger: logger)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                await runtime.stop()
                throw PortCheck.listenError(error, host: host, port: settings.httpPort)
            }
            await runtime.stop()
            logger.info("stopped")
        }
    }
}
