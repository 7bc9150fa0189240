import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// Many processes, one PostgreSQL, one ledger: two `lightbox serve` and one `lightbox worker`, requests alternating
/// between the servers, purchases sent to both at once, a server killed with SIGKILL in the middle and restarted.
@Suite("CLI: two servers and a worker on one PostgreSQL", .serialized)
struct ScaleOutTests {
    /// The cast and the servers, and a client command against one of them.
    struct Cluster {
        let directory: URL
        let database: String
        var urls: [String]
        var servers: [LightboxProcess.Running]
        var ports: [Int]

        static let passphrase = ["LIGHTBOX_KEY_PASSPHRASE": ""]

        var environment: [String: String] { Self.passphrase.merging(["LIGHTBOX_DATABASE_URL": database]) { $1 } }

        func lightbox(_ arguments: [String], server: Int, key: String? = nil, timeout: Duration = .seconds(180)) async throws -> LightboxProcess.Output {
            try await LightboxProcess.run(
                arguments + ["--data-dir", "d", "--server", urls[server]] + (key.map { ["--key", $0] } ?? []), in: directory,
                environment: Self.passphrase, timeout: timeout)
        }

        /// Starts server `index` on its port (a restart reuses it); the data directory and database are shared.
        mutating func start(_ index: Int) async throws {
            // A port chosen free may be taken by another test's server before this one listens: then another port.
            for attempt in 1...3 {
                let server = try LightboxProcess.start(
                    ["serve", "--port", "\(ports[index])", "--data-dir", "d"], in: directory,
                    environment: environment.merging(["LIGHTBOX_WORKERS_IN_PROCESS": "false"]) { $1 })
                do {
                    _ = try await LightboxProcess.waitUntilServing(urls[index] + "/readyz", running: server)
                } catch is LightboxProcess.PortTaken where attempt < 3 {
                    ports[index] = try LightboxProcess.freePort()
                    urls[index] = "http://127.0.0.1:\(ports[index])"
                    continue
                }
                if servers.count > index { servers[index] = server } else { servers.append(server) }
                return
            }
        }
    }

    /// Every buyer buys every listing once, through the server of its turn; all at once. Returns the failures.
    static func buyAll(_ cluster: Cluster, buyers: [String], listings: [Int]) async throws -> [(buyer: String, listing: Int)] {
        try await withThrowingTaskGroup(of: (String, Int, Bool).self) { group in
            for (n, buyer) in buyers.enumerated() {
                for listing in listings {
                    group.addTask {
                        let bought = try await cluster.lightbox(["buy", "\(listing)"], server: (n + listing) % 2, key: buyer)
                        return (buyer, listing, bought.status == 0)
                    }
                }
            }
            var failed: [(String, Int)] = []
            for try await (buyer, listing, ok) in group where !ok { failed.append((buyer, listing)) }
            return failed
        }
    }

    @Test("journeys alternating between two servers, 40 purchases at once through both with one killed and restarted: one log, tokens conserved, every job once")
    func twoServersAndAWorker() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ports = try [LightboxProcess.freePort(), LightboxProcess.freePort()]
        var cluster = Cluster(
            directory: directory, database: try await TestDatabases.freshPostgresURL(), urls: ports.map { "http://127.0.0.1:\($0)" },
            servers: [], ports: ports)
        // The first server makes the ledger; the second opens it; the worker runs every job.
        try await cluster.start(0)
        try await cluster.start(1)
        let worker = try LightboxProcess.start(["worker", "--data-dir", "d"], in: directory, environment: cluster.environment)
        defer {
            worker.signal(SIGTERM)
            for server in cluster.servers { server.signal(SIGTERM) }
        }
        let buyers = (0..<10).map { "buyer\($0)" }
        let accounts = try await LightboxProcess.accounts(["seller", "arbiter"] + buyers, in: directory, environment: Cluster.passphrase)
        let arbiter = try #require(accounts["arbiter"])
        let first = try await LightboxProcess.run(["ledger", "head", "--data-dir", "d"], in: directory, environment: cluster.environment)

        // The journeys, each request to the other server than the one before.
        #expect(try await cluster.lightbox(["governance", "arbiter", "add", arbiter], server: 1, key: "governance").status == 0)
        for listing in 1...4 {
            let set = "set\(listing)"
            let generated = try await LightboxProcess.run(
                ["dataset", "generate", set, "--images", "8", "--width", "64", "--height", "48", "--seed", "\(listing)"], in: directory)
            #expect(generated.status == 0)
            let published = try await cluster.lightbox(
                ["publish", set, "--title", "Set \(listing)", "--task", "detection", "--price", "10", "--licence", "commercial"],
                server: listing % 2, key: "seller")
            #expect(published.stdout.contains("listing \(listing) is active"), "\(published.stdout) \(published.stderr)")
        }
        for (n, buyer) in buyers.enumerated() {
            #expect(try await cluster.lightbox(["faucet", "--amount", "100"], server: n % 2, key: buyer).status == 0)
        }

        // 40 purchases at once through both servers; one server is killed while they run, and restarted.
        let buying = cluster
        async let failures = Self.buyAll(buying, buyers: buyers, listings: [1, 2, 3, 4])
        try await Task.sleep(for: .milliseconds(1500))
        cluster.servers[0].signal(SIGKILL)
        _ = try await cluster.servers[0].wait(timeout: .seconds(30))
        try await cluster.start(0)
        for (buyer, listing) in try await failures {
            // Sent to the killed server: taken by the ledger before the kill or not at all; a retry settles which.
            let retried = try await cluster.lightbox(["buy", "\(listing)"], server: 1, key: buyer)
            #expect(retried.status == 0 || retried.stderr.contains("already holds licence"), "\(retried.stderr)")
        }

        // The pull, acceptance and dispute journeys, alternating, on purchases the concurrent buying made.
        try await Self.settle(cluster)
        let (pulledPurchase, disputedPurchase) = (
            try await Self.purchase(of: try #require(accounts["buyer0"]), cluster.database),
            try await Self.purchase(of: try #require(accounts["buyer1"]), cluster.database))
        let pulled = try await cluster.lightbox(["pull", "\(pulledPurchase)", "--output", "out"], server: 0, key: "buyer0")
        #expect(pulled.status == 0 && pulled.stdout.contains("files decrypted into out"), "\(pulled.stdout) \(pulled.stderr)")
        #expect(try await cluster.lightbox(["accept", "\(pulledPurchase)"], server: 1, key: "buyer0").status == 0)
        let licence = try await cluster.lightbox(["licence", "show", "\(pulledPurchase)"], server: 0, key: "buyer0")
        #expect(licence.stdout.contains("escrow released"), "\(licence.stdout) \(licence.stderr)")
        let opened = try await cluster.lightbox(["dispute", "open", "\(disputedPurchase)", "--reason", "Boxes are off"], server: 1, key: "buyer1")
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try await cluster.lightbox(["dispute", "evidence", "\(disputedPurchase)", "--reason", "They are not"], server: 0, key: "seller").status == 0)
        let queue = try await cluster.lightbox(["dispute", "list"], server: 1, key: "arbiter")
        #expect(queue.status == 0 && queue.stdout.contains("\(disputedPurchase)"), "\(queue.stdout) \(queue.stderr)")
        let ruled = try await cluster.lightbox(["dispute", "rule", "\(disputedPurchase)", "--buyer-bps", "10000"], server: 0, key: "arbiter")
        #expect(ruled.status == 0, "\(ruled.stderr)")

        // Every purchase delivered once; every job ran once; the log verifies; tokens are conserved.
        try await Self.settle(cluster)
        let verified = try await LightboxProcess.run(["ledger", "verify", "--data-dir", "d"], in: directory, environment: cluster.environment)
        #expect(verified.status == 0, "\(verified.stderr)")
        let last = try await LightboxProcess.run(["ledger", "head", "--data-dir", "d"], in: directory, environment: cluster.environment)
        let key = try await LightboxProcess.run(["ledger", "verifier-key", "--data-dir", "d"], in: directory, environment: cluster.environment)
        let verifier = try SignedNote.Verifier(key.stdout.trimmingCharacters(in: .newlines))
        let old = try Checkpoint(text: try SignedNote.open(first.stdout, verifiers: [verifier]).text)
        let new = try Checkpoint(text: try SignedNote.open(last.stdout, verifiers: [verifier]).text)
        let proofOutput = try await LightboxProcess.run(
            ["ledger", "consistency", "--from", "\(old.size)", "--to", "\(new.size)", "--data-dir", "d"], in: directory, environment: cluster.environment)
        let proof = try #require(try JSONSerialization.jsonObject(with: Data(proofOutput.stdout.utf8)) as? [String: Any])
        let path = (proof["path"] as? [String] ?? []).map { [UInt8](Data(base64Encoded: $0)!) }
        #expect(MerkleTree.verifyConsistency(oldSize: Int(old.size), newSize: Int(new.size), oldRoot: old.rootHash, newRoot: new.rootHash, proof: path))
        try await Self.conservation(cluster.database)
    }

    /// Waits until no job is pending and all 40 purchases are delivered, then checks each was delivered once.
    static func settle(_ cluster: Cluster) async throws {
        let database = try await DatabaseOpener.open(try DatabaseLocation(url: cluster.database), logger: TestDatabases.logger)
        var delivered = 0
        for _ in 0..<600 {
            delivered = Int(try await database.query(
                "SELECT COUNT(*) AS n FROM ledger_events WHERE name = 'Delivered'", logger: TestDatabases.logger
            ).first?.decode("n", as: Int64.self) ?? 0)
            let open = try await database.query(
                "SELECT COUNT(*) AS n FROM jobs WHERE state IN ('available', 'running') AND kind <> 'escrow.release'", logger: TestDatabases.logger
            ).first?.decode("n", as: Int64.self) ?? 1
            if delivered == 40 && open == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(delivered == 40)
        let distinct = try await database.query(
            "SELECT COUNT(DISTINCT fields) AS n FROM ledger_events WHERE name = 'Delivered'", logger: TestDatabases.logger
        ).first?.decode("n", as: Int64.self)
        #expect(distinct == 40, "a purchase was delivered twice")
        let seals = try await database.query(
            "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'delivery.seal' AND state = 'completed'", logger: TestDatabases.logger)
        #expect(try seals.first?.decode("n", as: Int64.self) == 40)
        // Every job ran once: none retried, none dead.
        let runs = try await database.query(
            "SELECT MAX(attempt) AS most, SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead FROM jobs WHERE kind <> 'escrow.release'",
            logger: TestDatabases.logger)
        #expect(try runs.first?.decode("most", as: Int64?.self) == 1, "a job ran more than once")
        #expect(try runs.first?.decode("dead", as: Int64?.self) == 0)
        await database.close()
    }

    /// One of `buyer`'s purchases, from the marketplace's projection.
    static func purchase(of buyer: String, _ url: String) async throws -> UInt64 {
        let database = try await DatabaseOpener.open(try DatabaseLocation(url: url), logger: TestDatabases.logger)
        let rows = try await database.query(
            "SELECT MIN(purchase_id) AS id FROM market_purchases WHERE buyer = \(buyer.lowercased())", logger: TestDatabases.logger)
        await database.close()
        return UInt64(try #require(try rows.first?.decode("id", as: Int64?.self)))
    }

    /// Balances plus what escrows hold equal every token the faucet minted.
    static func conservation(_ url: String) async throws {
        let database = try await DatabaseOpener.open(try DatabaseLocation(url: url), logger: TestDatabases.logger)
        let rows = try await database.query("SELECT kind, value FROM ledger_state", logger: TestDatabases.logger)
        await database.close()
        var balances = TokenAmount.zero
        var governance: GovernanceRecord?
        for row in rows {
            let value = Data(try row.decode("value", as: String.self).utf8)
            switch try row.decode("kind", as: String.self) {
            case "account": balances = balances + (try JSONDecoder().decode(AccountRecord.self, from: value)).balance
            case "governance": governance = try JSONDecoder().decode(GovernanceRecord.self, from: value)
            default: continue
            }
        }
        let record = try #require(governance)
        #expect(record.purchaseCount == 40 && record.listingCount == 4)
        #expect(balances + record.escrowed == record.supply && record.supply == .tokens(1_000))
    }
}
