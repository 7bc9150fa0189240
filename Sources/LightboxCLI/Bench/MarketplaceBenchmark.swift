import ArgumentParser
import AsyncHTTPClient
import ContentAddressing
import Foundation
import Ledger
import MarketAPI
import LightboxCrypto
import Logging
import Marketplace
import NIOCore
import NIOHTTP1
import Persistence
import Storage
import Vision

/// The marketplace end to end on an embedded node (SQLite, development ledger, HTTP on loopback, two job
/// workers): publishing a generated dataset from upload to active listing, pulling it back (verified and
/// decrypted), and search latency under a steady load from wrk with many listings indexed. Each beside a
/// baseline in the same run: the quality check alone on the same files, the same ciphertext downloaded without
/// verification or decryption, and wrk at the same rate against `/healthz`.
struct MarketplaceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketplace",
        abstract: "Publish (upload → active listing), pull (download, verify, decrypt) and search latency under wrk.",
        discussion: """
            Generates a COCO dataset of --images images (--width×--height, half PNG, half JPEG), publishes it through \
            the HTTP API as `lightbox publish` does (upload, quality check, encryption and storage, the owner's \
            signatures, minting), buys it and pulls it back from the node's gateway as `lightbox pull` does. Then \
            indexes --listings listings and runs wrk (Debian package wrk) for --seconds at about --rate requests/s \
            over a mix of searches (text, task, labels, score, price, licence flags, pages), and the same load \
            against /healthz as the floor of the HTTP stack. Baselines: `lightbox dataset check` on the same files; \
            the dataset's CAR downloaded without checking or decrypting it.
            """
    )

    @Option(help: "Images in the published dataset.") var images = 1000
    @Option(help: "Image width.") var width = 640
    @Option(help: "Image height.") var height = 480
    @Option(help: "Listings in the search index.") var listings = 100_000
    @Option(help: "Search requests per second wrk aims at.") var rate = 200
    @Option(help: "Seconds of search load.") var seconds = 30
    @Option(help: "wrk connections (each waits between requests to keep the rate).") var connections = 10
    @Option(help: "Work in this new directory and keep it (the node's database and blocks), instead of a temporary one.") var directory: String?
    @Flag(help: "Measure lightbox only.") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard images >= 20, width >= 16, height >= 16, listings >= 1, rate >= 1, seconds >= 1, connections >= 1 else {
                throw ValidationError("--images ≥ 20, --width and --height ≥ 16; --listings, --rate, --seconds and --connections positive")
            }
            guard let wrk = Self.executable("wrk") else {
                throw CommandError("this benchmark needs wrk for the search load: apt-get install wrk")
            }
            let directory = self.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-market-\(UUID().uuidString.prefix(8))").path
            guard !FileManager.default.fileExists(atPath: directory) else { throw CommandError("\(directory) already exists; choose a new --directory") }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { if self.directory == nil { try? FileManager.default.removeItem(atPath: directory) } }

            var generator = DatasetGenerator(format: .coco, imageCount: images, seed: 11)
            generator.width = width
            generator.height = height
            let dataset = directory + "/dataset"
            let generatedAt = ContinuousClock.now
            let generated = try generator.generate(into: dataset)
            let generation = (ContinuousClock.now - generatedAt).seconds
            _ = try MeasuredProcess.run("cat", generated.images.map { dataset + "/" + $0 })  // into the page cache

            var report = BenchmarkReport(name: "marketplace", parameters: [
                "images": "\(generated.images.count)", "size": "\(width)x\(height)", "listings": "\(listings)",
                "rate": "\(rate)", "seconds": "\(seconds)", "connections": "\(connections)",
                "cores": "\(ProcessInfo.processInfo.activeProcessorCount)", "database": "sqlite",
                "generation_seconds": String(format: "%.1f", generation),
            ])
            let governance = AccountKeys(.random())
            let contributor = AccountKeys(.random())
            let buyer = AccountKeys(.random())
            var floor: WrkRun?
            try await EmbeddedNode.run(
                in: directory + "/node", ledgerID: "lightbox-bench", governance: governance.address, arbiter: governance.address
            ) { node in
                let publish = try await Self.publish(dataset, url: node.url, keys: contributor)
                report.add("publish_seconds", publish.total, "s")
                report.add("publish_upload_seconds", publish.upload, "s")
                report.add("publish_images_per_s", Double(generated.images.count) / publish.total, "images/s")
                for (step, seconds) in publish.steps { report.add("step_\(step.replacingOccurrences(of: ".", with: "_"))_seconds", seconds, "s") }

                let pull = try await Self.pull(listing: publish.listing, node: node, keys: buyer, into: directory)
                report.add("pull_seconds", pull.seconds, "s")
                report.add("pull_mb_per_s", Double(pull.bytes) / 1e6 / pull.seconds, "MB/s")
                report.add("pull_fetch_seconds", pull.fetch, "s (of pull_seconds: fetched and verified)")
                if !noBaseline {
                    let raw = try await Self.download(node.url + "/ipfs/\(pull.contentRoot)?format=car&dag-scope=all")
                    report.baseline.append(("pull_seconds", raw.seconds, "s"))
                    report.baseline.append(("pull_mb_per_s", Double(raw.bytes) / 1e6 / raw.seconds, "MB/s"))
                }

                let seeded = try await Self.seedListings(listings, like: publish.listing, market: node.market)
                report.add("index_listings_per_s", Double(listings) / seeded, "listings/s")
                let script = directory + "/search.lua"
                try Self.script(paths: Self.searchPaths(), connections: connections, rate: rate).write(toFile: script, atomically: true, encoding: .utf8)
                let search = try WrkRun.run(wrk, url: node.url, script: script, connections: connections, seconds: seconds)
                report.add("search_p50_ms", search.p50, "ms")
                report.add("search_p99_ms", search.p99, "ms")
                report.add("search_requests_per_s", search.rate, "requests/s")
                report.add("search_errors", Double(search.errors), "responses not 200")
                if !noBaseline {
                    let healthScript = directory + "/health.lua"
                    try Self.script(paths: ["/healthz"], connections: connections, rate: rate).write(toFile: healthScript, atomically: true, encoding: .utf8)
                    floor = try WrkRun.run(wrk, url: node.url, script: healthScript, connections: connections, seconds: seconds)
                }
            }
            if !noBaseline {
                let lightbox = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
                let check = try MeasuredProcess.run(lightbox, ["dataset", "check", dataset])
                guard check.exitStatus == 0 || check.exitStatus == 1 else {
                    throw MeasuredProcess.Failure(description: "lightbox dataset check exited with \(check.exitStatus): \(check.standardError)")
                }
                report.baselineName = "parts alone"
                report.baseline.append(("publish_seconds", check.seconds, "s"))
                report.baseline.append(("publish_images_per_s", Double(generated.images.count) / check.seconds, "images/s"))
                if let floor {
                    report.baseline.append(("search_p50_ms", floor.p50, "ms"))
                    report.baseline.append(("search_p99_ms", floor.p99, "ms"))
                    report.baseline.append(("search_requests_per_s", floor.rate, "requests/s"))
                }
            }
            report.print()
        }
    }

    // MARK: Publish and pull

    struct Published {
        let listing: UInt64
        let total: Double
        let upload: Double
        let steps: [(String, Double)]
    }

    /// Upload to active listing, over the API, as `lightbox publish` does it.
    static func publish(_ dataset: String, url: String, keys: AccountKeys, title: String = "Benchmark streets") async throws -> Published {
        let market = MarketClient(server: url, keys: keys)
        try await market.signIn()
        let start = ContinuousClock.now
        let upload = try await DatasetUpload(market: market, root: dataset, quiet: true).send(resuming: nil)
        let uploaded = (ContinuousClock.now - start).seconds
        let id = try await market.send(
            .POST, "/v1/publications",
            json: CreatePublicationRequest(
                uploadID: upload, title: title, description: "Generated street scenes", task: "detection", price: "25", royaltyBps: nil,
                licence: "commercial", terms: nil),
            as: PublicationResponse.self
        ).publication.id
        let status = try await PublicationFollower(market: market, id: id, say: nil, interval: .milliseconds(50)).untilListed(timeout: 1800)
        let total = (ContinuousClock.now - start).seconds
        let steps = status.publication.steps.compactMap { step -> (String, Double)? in
            guard let started = step.startedAt, let finished = step.finishedAt else { return nil }
            return (step.name, Double(finished - started))
        }
        guard let listing = status.publication.listingID else { throw CommandError("publication \(id) became active without a listing") }
        return Published(listing: listing, total: total, upload: uploaded, steps: steps)
    }

    /// Buys the listing, then times fetching its ciphertext from the node's gateway (every block checked) and
    /// decrypting every file against the manifest, as `lightbox pull` does.
    static func pull(listing: UInt64, node: EmbeddedNode, keys: AccountKeys, into directory: String) async throws
        -> (seconds: Double, fetch: Double, bytes: UInt64, contentRoot: String)
    {
        let market = MarketClient(server: node.url, keys: keys)
        try await market.signIn()
        try await market.submit(.faucet(amount: .tokens(100)))
        let (id, _) = try await market.buy(listing: listing)
        guard try await market.purchaseAfterDelivery(id, timeout: 120).escrow == "delivered" else {
            throw CommandError("purchase \(id) was not delivered within two minutes")
        }
        let key = try await market.sealedKey(of: id)
        let start = ContinuousClock.now
        let retrieval = DatasetRetrieval(
            client: TrustlessGatewayClient(configuration: .init(gateways: [node.url]), http: .shared, logger: Logger(label: "lightbox.bench")),
            store: try FileBlockStore(directory: directory + "/pulled-blocks"))
        let manifest = try await retrieval.manifest(key.manifest)
        let fetched = try await retrieval.fetch(contentRoot: key.contentRoot)
        let fetchedAt = ContinuousClock.now
        _ = try retrieval.decrypt(
            contentRoot: key.contentRoot, manifest: manifest, sealedKey: key.sealed, buyer: keys.sealing, to: directory + "/pulled")
        return ((ContinuousClock.now - start).seconds, (fetchedAt - start).seconds, fetched.bytes, key.contentRoot.description)
    }

    /// Downloads `url`, counting its bytes and checking nothing: the wire's own speed.
    static func download(_ url: String) async throws -> (seconds: Double, bytes: UInt64) {
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(600))
        guard response.status == .ok else { throw CommandError("GET \(url) answered \(response.status)") }
        var bytes: UInt64 = 0
        for try await buffer in response.body { bytes += UInt64(buffer.readableBytes) }
        return ((ContinuousClock.now - start).seconds, bytes)
    }

    // MARK: Search

    /// Indexes `count` listings made from the published one's card (titles, tasks, labels, scores, prices and
    /// licence flags varied), in transactions of 1,000; returns the seconds it took.
    static func seedListings(_ count: Int, like listing: UInt64, market: Marketplace) async throws -> Double {
        let logger = Logger(label: "lightbox.bench")
        guard let card = try await market.listings.card(listing, logger: logger),
              var template = try JSONSerialization.jsonObject(with: JSONEncoder().encode(card)) as? [String: Any]
        else { throw CommandError("listing \(listing) has no card to copy") }
        var terms = template["terms"] as? [String: Any] ?? [:]
        var random = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        for batch in stride(from: 0, to: count, by: 1000) {
            var cards: [ListingCard] = []
            for offset in batch..<min(batch + 1000, count) {
                let id = UInt64(offset) + listing + 1
                template["listing_id"] = id
                template["publication_id"] = "pub_bench_\(id)"
                template["title"] = "\(adjectives[offset % adjectives.count].capitalized) \(subjects[(offset / 7) % subjects.count]) \(offset)"
                template["description"] = "\(subjects[(offset / 3) % subjects.count]) in \(places[offset % places.count]), \(adjectives[(offset / 11) % adjectives.count]) light"
                template["task"] = ListingMetadata.tasks[offset % ListingMetadata.tasks.count]
                template["labels"] = Array(labelSet.shuffled(using: &random).prefix(Int.random(in: 1...4, using: &random))).sorted()
                template["images"] = Int.random(in: 20...50_000, using: &random)
                template["score"] = Int.random(in: 40...100, using: &random)
                let price = TokenAmount.tokens(UInt64.random(in: 1...500, using: &random))
                template["price"] = price.tokenString
                template["price_units"] = price.description
                for flag in ["commercialUse", "aiTraining", "derivatives", "redistribution"] { terms[flag] = Bool.random(using: &random) }
                template["terms"] = terms
                cards.append(try JSONDecoder().decode(ListingCard.self, from: JSONSerialization.data(withJSONObject: template)))
            }
            try await market.database.withTransaction(logger: logger) { connection in
                for card in cards { try await market.listings.add(card, on: connection) }
            }
        }
        return (ContinuousClock.now - start).seconds
    }

    static let adjectives = ["urban", "rainy", "sunny", "night", "foggy", "crowded", "quiet", "snowy", "dusty", "coastal", "rural", "aerial"]
    static let subjects = ["streets", "vehicles", "pedestrians", "warehouses", "crops", "shelves", "drones", "harbours", "kitchens", "forests"]
    static let places = ["Lisbon", "Osaka", "Nairobi", "Lima", "Oslo", "Delhi", "Austin", "Hanoi", "Cairo", "Perth"]
    static let labelSet = ["person", "car", "dog", "bicycle", "truck", "bus", "cat", "tree", "sign", "boat", "bird", "box"]

    /// A mix of searches such as the listing pages make: newest first, text, task, labels, thresholds, licence
    /// flags, and later pages.
    static func searchPaths() -> [String] {
        var paths = ["/v1/listings", "/v1/listings?limit=50", "/v1/listings?cursor=50000", "/v1/listings?cursor=99000&limit=20"]
        for (index, subject) in subjects.enumerated() {
            paths.append("/v1/listings?q=\(subject)")
            paths.append("/v1/listings?q=\(adjectives[index])+\(subject)")
            paths.append("/v1/listings?q=\(subject)&task=\(ListingMetadata.tasks[index % ListingMetadata.tasks.count])")
        }
        for place in places { paths.append("/v1/listings?q=\(place.lowercased())&min_score=80") }
        for task in ListingMetadata.tasks { paths.append("/v1/listings?task=\(task)&max_price=100") }
        for label in labelSet { paths.append("/v1/listings?label=\(label)&commercial_use=true") }
        paths.append("/v1/listings?label=person&label=car&min_images=1000")
        paths.append("/v1/listings?min_score=99&ai_training=true&derivatives=false")
        paths.append("/v1/listings?max_price=2&redistribution=true")
        return paths
    }

    /// A wrk script: each connection sends a random path of `paths`, waiting between requests so that all
    /// connections together make about `rate` requests a second; at the end it prints the latency percentiles.
    static func script(paths: [String], connections: Int, rate: Int) -> String {
        let delay = max(0, Double(connections) * 1000 / Double(rate) - 1)
        return """
            local paths = {\(paths.map { "\"\($0)\"" }.joined(separator: ", "))}
            errors = 0
            local threads = {}
            function setup(thread) table.insert(threads, thread) end
            function init(args) errors = 0 end
            function request() return wrk.format("GET", paths[math.random(#paths)]) end
            function delay() return \(String(format: "%.1f", delay)) end
            function response(status, headers, body) if status ~= 200 then errors = errors + 1 end end
            function done(summary, latency, requests)
              local failed = 0
              for _, thread in ipairs(threads) do failed = failed + thread:get("errors") end
              io.write(string.format("WRK {\\"p50_us\\":%d,\\"p99_us\\":%d,\\"requests\\":%d,\\"duration_us\\":%d,\\"errors\\":%d,\\"socket_errors\\":%d}\\n",
                latency:percentile(50), latency:percentile(99), summary.requests, summary.duration, failed,
                summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
            end

            """
    }

    static func executable(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// One wrk run's latency percentiles and rate, read from the `WRK {…}` line of the benchmark's script.
struct WrkRun {
    let p50: Double
    let p99: Double
    let rate: Double
    let errors: Int

    static func run(_ wrk: String, url: String, script: String, connections: Int, seconds: Int) throws -> WrkRun {
        let result = try MeasuredProcess.run(
            wrk, ["-t", "\(min(2, connections))", "-c", "\(connections)", "-d", "\(seconds)s", "--timeout", "5s", "-s", script, url])
        guard result.exitStatus == 0,
              let line = result.standardOutput.split(separator: "\n").last(where: { $0.hasPrefix("WRK ") }),
              let figures = try JSONSerialization.jsonObject(with: Data(line.dropFirst(4).utf8)) as? [String: Int]
        else {
            throw MeasuredProcess.Failure(description: "wrk failed (exit \(result.exitStatus)): \(result.standardError) \(result.standardOutput.suffix(500))")
        }
        let requests = Double(figures["requests"] ?? 0)
        let duration = Double(figures["duration_us"] ?? 1) / 1e6
        return WrkRun(
            p50: Double(figures["p50_us"] ?? 0) / 1000, p99: Double(figures["p99_us"] ?? 0) / 1000, rate: requests / duration,
            errors: (figures["errors"] ?? 0) + (figures["socket_errors"] ?? 0))
    }
}
