import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Node
import Vision

/// The web pages under a steady load from wrk over a large index: the search page (`/`, the same mix of searches
/// as the API benchmark) and a listing's page (`/listings/{id}`: card, QA summary, every event with its proof and
/// log entry), each beside the same request to the JSON API (`/v1/listings…`) in the same run.
struct PagesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Latency of the search page and a listing's page under wrk, beside the JSON API's.",
        discussion: """
            Publishes a generated dataset of --images images through the HTTP API, buys and pulls it (so that its \
            page shows purchase, licence and delivery events), indexes --listings listings, then runs wrk (Debian \
            package wrk) for --seconds at about --rate requests/s: the search page over a mix of searches, then the \
            listing's page. Baselines: the same load on GET /v1/listings (the same searches) and GET /v1/listings/{id}.
            """
    )

    @Option(help: "Images in the published dataset.") var images = 40
    @Option(help: "Listings in the search index.") var listings = 100_000
    @Option(help: "Requests per second wrk aims at.") var rate = 200
    @Option(help: "Seconds of load per run.") var seconds = 20
    @Option(help: "wrk connections (each waits between requests to keep the rate).") var connections = 10
    @Flag(help: "Measure the pages only.") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard images >= 20, listings >= 1, rate >= 1, seconds >= 1, connections >= 1 else {
                throw ValidationError("--images ≥ 20; --listings, --rate, --seconds and --connections positive")
            }
            guard let wrk = MarketplaceBenchmark.executable("wrk") else {
                throw CommandError("this benchmark needs wrk for the load: apt-get install wrk")
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-pages-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var generator = DatasetGenerator(format: .coco, imageCount: images, seed: 11)
            generator.width = 320
            generator.height = 240
            _ = try generator.generate(into: directory + "/dataset")

            var report = BenchmarkReport(name: "pages", parameters: [
                "images": "\(images)", "listings": "\(listings)", "rate": "\(rate)", "seconds": "\(seconds)",
                "connections": "\(connections)", "cores": "\(ProcessInfo.processInfo.activeProcessorCount)", "database": "sqlite",
            ])
            report.baselineName = "JSON API"
            let governance = AccountKeys(.random())
            try await EmbeddedNode.run(
                in: directory + "/node", ledgerID: "lightbox-bench", governance: governance.address, arbiter: governance.address
            ) { node in
                let published = try await MarketplaceBenchmark.publish(directory + "/dataset", url: node.url, keys: AccountKeys(.random()))
                _ = try await MarketplaceBenchmark.pull(listing: published.listing, node: node, keys: AccountKeys(.random()), into: directory)
                let seeded = try await MarketplaceBenchmark.seedListings(listings, like: published.listing, market: node.market)
                report.add("index_listings_per_s", Double(listings) / seeded, "listings/s")

                let searches = MarketplaceBenchmark.searchPaths()
                let runs: [(name: String, pages: [String], api: [String])] = [
                    ("search_page", searches.map { "/" + $0.dropFirst("/v1/listings".count) }, searches),
                    ("listing_page", ["/listings/\(published.listing)"], ["/v1/listings/\(published.listing)"]),
                ]
                for run in runs {
                    let pages = try load(wrk, url: node.url, paths: run.pages, directory: directory)
                    report.add("\(run.name)_p50_ms", pages.p50, "ms")
                    report.add("\(run.name)_p99_ms", pages.p99, "ms")
                    report.add("\(run.name)_requests_per_s", pages.rate, "requests/s")
                    report.add("\(run.name)_errors", Double(pages.errors), "responses not 200")
                    guard !noBaseline else { continue }
                    let api = try load(wrk, url: node.url, paths: run.api, directory: directory)
                    report.baseline += [
                        ("\(run.name)_p50_ms", api.p50, "ms"), ("\(run.name)_p99_ms", api.p99, "ms"),
                        ("\(run.name)_requests_per_s", api.rate, "requests/s"),
                    ]
                }
            }
            report.print()
        }
    }

    private func load(_ wrk: String, url: String, paths: [String], directory: String) throws -> WrkRun {
        let script = directory + "/load.lua"
        try MarketplaceBenchmark.script(paths: paths, connections: connections, rate: rate).write(toFile: script, atomically: true, encoding: .utf8)
        return try WrkRun.run(wrk, url: url, script: script, connections: connections, seconds: seconds)
    }
}
