import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import NIOCore
import Persistence

/// Every buyer buys every listing once, all buyers at once, each request to the next server in turn; a watcher reads
/// the ledger's Delivered events as they are written. Latency is from sending a purchase to seeing its delivery.
struct PurchaseLoad {
    let cluster: BenchCluster
    let database: DatabaseLocation
    let logger: Logger

    /// Send and delivery instants by purchase id.
    actor Timings {
        var sent: [UInt64: ContinuousClock.Instant] = [:]
        var delivered: [UInt64: ContinuousClock.Instant] = [:]

        func send(_ id: UInt64, at instant: ContinuousClock.Instant) { sent[id] = instant }
        func deliver(_ id: UInt64, at instant: ContinuousClock.Instant) { delivered[id] = delivered[id] ?? instant }
        var deliveredCount: Int { delivered.count }
    }

    func run(buyers: [AccountKeys], listings: [UInt64]) async throws -> (seconds: Double, p50: Double, p99: Double) {
        let total = buyers.count * listings.count
        // Every buyer with a connection of its own, as buyers on their own machines have: through the shared
        // client's eight connections per server, the load would queue in this process rather than at the servers.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: buyers.count)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let measured = try await run(buyers: buyers, listings: listings, total: total, http: http)
            try await http.shutdown()
            return measured
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func run(buyers: [AccountKeys], listings: [UInt64], total: Int, http: HTTPClient) async throws -> (seconds: Double, p50: Double, p99: Double) {
        var clients: [MarketClient] = []
        for (n, keys) in buyers.enumerated() {
            let client = MarketClient(server: cluster.urls[n % cluster.urls.count], keys: keys, http: http)
            try await client.signIn()
            clients.append(client)
        }
        let watcher = try await DatabaseOpener.open(database, logger: logger)
        let after = try await watcher.query("SELECT MAX(idx) AS top FROM ledger_events", logger: logger).first?.decode("top", as: Int64?.self) ?? -1
        let timings = Timings()
        let start = ContinuousClock.now
        let watching = Task { try await Self.watch(watcher, after: after, until: total, timings: timings, logger: logger) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in clients {
                    group.addTask {
                        for listing in listings {
                            let sent = ContinuousClock.now
                            let (id, _) = try await client.buy(listing: listing)
                            await timings.send(id, at: sent)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            watching.cancel()
            await watcher.close()
            throw error
        }
        let end = try await watching.value
        await watcher.close()
        var latencies: [Double] = []
        for (id, sent) in await timings.sent {
            guard let delivered = await timings.delivered[id] else { continue }
            latencies.append(max(0, (delivered - sent).seconds * 1_000))
        }
        guard latencies.count == total else { throw CommandError("\(total - latencies.count) purchases were not delivered") }
        latencies.sort()
        return ((end - start).seconds, latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
    }

    /// Polls the ledger's Delivered events until `count` are seen (or ten minutes pass); returns when the last was seen.
    private static func watch(
        _ database: any Database, after: Int64, until count: Int, timings: Timings, logger: Logger
    ) async throws -> ContinuousClock.Instant {
        var last = after
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let rows = try await database.query(
                "SELECT idx, fields FROM ledger_events WHERE idx > \(last) AND name = 'Delivered' ORDER BY idx", logger: logger)
            let now = ContinuousClock.now
            for row in rows {
                last = max(last, try row.decode("idx", as: Int64.self))
                let fields = try JSONSerialization.jsonObject(with: Data(try row.decode("fields", as: String.self).utf8)) as? [String: String]
                if let id = fields?["purchaseId"].flatMap(UInt64.init) { await timings.deliver(id, at: now) }
            }
            if await timings.deliveredCount >= count { return now }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw CommandError("only \(await timings.deliveredCount) of \(count) purchases were delivered within ten minutes")
    }
}
