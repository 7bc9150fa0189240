import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node
import Persistence
import Vision

/// Purchases over HTTP by many buyers at once against `lightbox serve` processes on one PostgreSQL, each counted
/// when its delivery is on the ledger; beside the embedded ledger's append rate alone on the same server.
struct PurchasesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purchases",
        abstract: "Signed purchases over HTTP by many buyers at once, each timed until its delivery is on the ledger.",
        discussion: """
            Starts --processes lightbox processes on a new database of the PostgreSQL server --database names (one \
            `serve` with its workers; or, from two, `serve` processes without workers and one `worker`), publishes \
            listings through the API, funds the buyers, then every buyer buys every listing once, all buyers at once, \
            requests spread over the servers — after a round that is not timed, in which every buyer buys one more \
            listing, so that every process serves warm (its connections open, its caches filled), as a node that has \
            been running does. A purchase counts when the node's Deliver for it is on the ledger \
            (watched in the ledger's events). The baseline is the embedded ledger alone on another new database of the \
            same server: one intent per append, from as many callers at once. Both databases are dropped afterwards.
            """
    )

    @Option(help: "A PostgreSQL URL whose user may create databases.") var database: String
    @Option(help: "lightbox processes: 1 (serve with workers) or more (serve processes and one worker).") var processes = 1
    @Option(help: "Buyers, all buying at once.") var buyers = 40
    @Option(help: "Listings; every buyer buys each once.") var listings = 10

    func run() async throws {
        try await CommandFailure.guarding {
            guard (1...16).contains(processes), (1...1_000).contains(buyers), (1...100).contains(listings) else {
                throw ValidationError("--processes from 1 to 16, --buyers from 1 to 1000, --listings from 1 to 100")
            }
            var logger = Logger(label: "lightbox.bench")
            logger.logLevel = .warning
            let purchases = buyers * listings
            var report = BenchmarkReport(name: "purchases", parameters: [
                "processes": "\(processes)", "buyers": "\(buyers)", "listings": "\(listings)", "purchases": "\(purchases)",
                "database": "postgres",
            ])
            let baseline = try await Self.appendRate(url: database, intents: purchases, callers: buyers, logger: logger)

            let scratch = try BenchDatabase(backend: "postgres", url: database)
            let opened = try await scratch.open()
            await opened.close()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-purchases-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var cluster = BenchCluster(directory: directory, databaseURL: try scratch.url())
            do {
                try await cluster.start(processes: processes)
                let (listingIDs, buyerKeys) = try await Self.prepare(cluster, buyers: buyers, listings: listings + 1)
                let load = PurchaseLoad(cluster: cluster, database: scratch.location, logger: logger)
                _ = try await load.run(buyers: buyerKeys, listings: [listingIDs[0]])  // the warm-up round
                let measured = try await load.run(buyers: buyerKeys, listings: Array(listingIDs.dropFirst()))
                report.add("processes", Double(processes), "processes")
                report.add("purchases_per_s", Double(purchases) / measured.seconds, "purchases/s delivered")
                report.add("p50_ms", measured.p50, "ms from sending to delivered")
                report.add("p99_ms", measured.p99, "ms from sending to delivered")
                report.add("baseline_appends_per_s", baseline, "appends/s (the embedded ledger alone)")
                report.baselineName = "the embedded ledger's appends alone"
                report.baseline = [("purchases_per_s", baseline, "appends/s")]
                cluster.stop()
            } catch {
                cluster.stop()
                await scratch.drop()
                FileHandle.standardError.write(Data("the processes' logs are kept in \(directory)\n".utf8))
                throw error
            }
            await scratch.drop()
            if ProcessInfo.processInfo.environment["LIGHTBOX_BENCH_LOG_LEVEL"] != nil {
                // Asked for the processes' logs at another level: they are what was wanted.
                FileHandle.standardError.write(Data("the processes' logs are kept in \(directory)\n".utf8))
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
            report.print()
        }
    }

    /// Publishes `listings` small datasets and funds `buyers` accounts through the API.
    static func prepare(_ cluster: BenchCluster, buyers: Int, listings: Int) async throws -> ([UInt64], [AccountKeys]) {
        let seller = AccountKeys(.random())
        var ids: [UInt64] = []
        for index in 0..<listings {
            var generator = DatasetGenerator(format: .coco, imageCount: 12, seed: UInt64(100 + index))
            generator.width = 64
            generator.height = 48
            let path = cluster.directory + "/set\(index)"
            _ = try generator.generate(into: path)
            let published = try await MarketplaceBenchmark.publish(
                path, url: cluster.urls[index % cluster.urls.count], keys: seller, title: "Purchases benchmark \(index)")
            ids.append(published.listing)
        }
        let keys = (0..<buyers).map { _ in AccountKeys(.random()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, key) in keys.enumerated() {
                let url = cluster.urls[n % cluster.urls.count]
                group.addTask {
                    let client = MarketClient(server: url, keys: key)
                    try await client.signIn()
                    try await client.submit(.faucet(amount: .tokens(10_000)))
                }
            }
            try await group.waitForAll()
        }
        return (ids, keys)
    }

    /// Intents appended one per transaction, from `callers` at once, to a new ledger on a new database.
    static func appendRate(url: String, intents: Int, callers: Int, logger: Logger) async throws -> Double {
        let scratch = try BenchDatabase(backend: "postgres", url: url)
        let database = try await scratch.open()
        do {
            _ = try await Migrator(migrations: AllMigrations.list).migrate(database, logger: logger)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-appends-\(UUID().uuidString.prefix(8))").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let (dataDirectory, _) = try DataDirectory.prepare(directory)
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let governance = AccountKeys(.random())
            let parameters = try LedgerParameters(ledgerID: "bench-appends", governance: governance.address)
            let ledger = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: parameters, logger: logger)
            let accounts = (0..<callers).map { _ in AccountKeys(.random()) }
            let perCaller = (intents + callers - 1) / callers
            let signed = try accounts.map { account in
                try (0..<perCaller).map { nonce in
                    try Intent(.faucet(amount: .tokens(1)), account: account.address, nonce: UInt64(nonce), deadline: UInt64(Date().timeIntervalSince1970) + 3_600)
                        .signed(by: account.signing, domain: parameters.domain)
                }
            }
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for intents in signed {
                    group.addTask { for intent in intents { try await ledger.submit(intent) } }
                }
                try await group.waitForAll()
            }
            let seconds = (ContinuousClock.now - start).seconds
            await database.close()
            await scratch.drop()
            return Double(perCaller * callers) / seconds
        } catch {
            await database.close()
            await scratch.drop()
            throw error
        }
    }
}
