import Foundation
import LightboxTestSupport
import Persistence
import Testing

/// Processes on different machines: each with its own data directory, sharing the node's keys (copied, as mounted
/// secrets would be) and one PostgreSQL. A dataset published through one server is checked and encrypted where its
/// files were uploaded, and bought, previewed and pulled through the other, whose gateway fetches the blocks it
/// lacks from the first, verified.
@Suite("CLI: servers with separate data directories on one PostgreSQL", .serialized)
struct SeparateDisksTests {
    static let passphrase = ["LIGHTBOX_KEY_PASSPHRASE": ""]

    @Test("publish through one server, preview and pull through the other: blocks fetched between them, verified")
    func twoDataDirectories() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await TestDatabases.freshPostgresURL()
        let ports = try [LightboxProcess.freePort(), LightboxProcess.freePort()]
        let urls = ports.map { "http://127.0.0.1:\($0)" }
        let environment = Self.passphrase.merging([
            "LIGHTBOX_DATABASE_URL": database, "LIGHTBOX_STORAGE_GATEWAYS": urls.joined(separator: ","),
            "LIGHTBOX_WORKERS_IN_PROCESS": "false",
        ]) { $1 }
        func serve(_ index: Int) async throws -> LightboxProcess.Running {
            let server = try LightboxProcess.start(
                ["serve", "--port", "\(ports[index])", "--data-dir", ["a", "b"][index]], in: directory, environment: environment)
            _ = try await LightboxProcess.waitUntilServing(urls[index] + "/readyz", running: server)
            return server
        }
        // The first server makes the ledger and the node's keys; the second gets a copy of the keys, nothing else.
        let first = try await serve(0)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("b"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("a/keys"), to: directory.appendingPathComponent("b/keys"))
        let second = try await serve(1)
        // A process with keys of its own is refused at start; given the node's keys, the worker runs from a third
        // directory the jobs that need only the database.
        let stranger = try await LightboxProcess.run(["worker", "--data-dir", "c"], in: directory, environment: environment)
        #expect(stranger.status != 0 && stranger.stderr.contains("copy it from the data directory that made the ledger"), "\(stranger.stderr)")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("c/keys"))
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("a/keys"), to: directory.appendingPathComponent("c/keys"))
        let worker = try LightboxProcess.start(["worker", "--data-dir", "c"], in: directory, environment: environment)
        defer {
            for process in [first, second, worker] { process.signal(SIGTERM) }
        }
        let disks = try ["a", "b"].map {
            try String(contentsOf: directory.appendingPathComponent("\($0)/disk-id"), encoding: .utf8)
        }
        #expect(disks[0] != disks[1])

        _ = try await LightboxProcess.accounts(["seller", "buyer"], in: directory, environment: Self.passphrase)
        func lightbox(_ arguments: [String], server: Int, key: String) async throws -> LightboxProcess.Output {
            try await LightboxProcess.run(
                arguments + ["--data-dir", "d", "--server", urls[server], "--key", key], in: directory,
                environment: Self.passphrase, timeout: .seconds(180))
        }
        #expect(try await lightbox(["faucet", "--amount", "100"], server: 0, key: "buyer").status == 0)
        for listing in 1...2 {
            let set = "set\(listing)"
            let generated = try await LightboxProcess.run(
                ["dataset", "generate", set, "--images", "6", "--width", "64", "--height", "48", "--seed", "\(listing)"], in: directory)
            #expect(generated.status == 0)
            // Listing 1 is uploaded to the first server, listing 2 to the second.
            let published = try await lightbox(
                ["publish", set, "--title", "Set \(listing)", "--task", "detection", "--price", "10", "--licence", "commercial"],
                server: listing - 1, key: "seller")
            #expect(published.stdout.contains("listing \(listing) is active"), "\(published.stdout) \(published.stderr)")
        }
        // Each dataset was encrypted on the disk it was uploaded to, and only there.
        let blocks = try ["a", "b"].map { try Self.blockCount(directory.appendingPathComponent("\($0)/blocks")) }
        #expect(blocks[0] > 0 && blocks[1] > 0)

        // Bought through the other server, previewed and pulled through it: its gateway fills from the first.
        for listing in 1...2 {
            let other = 2 - listing
            let preview = try #require(await LightboxProcess.get(urls[other] + "/v1/listings/\(listing)/previews/0"))
            #expect(preview.status == 200, "\(preview.body)")
            let bought = try await lightbox(["buy", "\(listing)"], server: other, key: "buyer")
            #expect(bought.status == 0, "\(bought.stderr)")
            let purchase = try #require((bought.stdout + bought.stderr).firstMatch(of: /purchase (\d+)/).map { String($0.1) }, "\(bought.stdout)")
            let pulled = try await lightbox(["pull", purchase, "--output", "out\(listing)"], server: other, key: "buyer")
            #expect(pulled.status == 0 && pulled.stdout.contains("files decrypted into out\(listing)"), "\(pulled.stdout) \(pulled.stderr)")
        }
        let filled = try ["a", "b"].map { try Self.blockCount(directory.appendingPathComponent("\($0)/blocks")) }
        #expect(filled[0] > blocks[0] && filled[1] > blocks[1], "each gateway stored the blocks it fetched: \(blocks) → \(filled)")

        // A block no process holds: each peer, asked only for what it holds, says so (no asking round in circles).
        let unknown = try #require(await LightboxProcess.get(urls[0] + "/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy?format=raw"))
        #expect(unknown.status == 404, "\(unknown.body)")

        // Nothing was run on a disk without the files: every job completed on its first attempt.
        let db = try await DatabaseOpener.open(try DatabaseLocation(url: database), logger: TestDatabases.logger)
        let runs = try await db.query(
            "SELECT MAX(attempt) AS most, COUNT(*) AS n FROM jobs WHERE kind IN ('vision.check', 'storage.prepare')",
            logger: TestDatabases.logger)
        await db.close()
        #expect(try runs.first?.decode("most", as: Int64?.self) == 1 && runs.first?.decode("n", as: Int64.self) == 4)
    }

    static func blockCount(_ folder: URL) throws -> Int {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var count = 0
        while let url = enumerator?.nextObject() as? URL {
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true { count += 1 }
        }
        return count
    }
}
