import Foundation
import Testing

/// A newcomer's first run: `lightbox serve` in an empty directory with nothing configured, then the README's client
/// commands against it; and production that cannot be mistaken for it.
@Suite("CLI: the first run", .serialized)
struct FirstRunTests {
    @Test("serve with nothing configured makes a development ledger; faucet, publish, buy, pull, accept and a dispute ruled by an arbiter added through `lightbox governance`")
    func firstRun() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (server, url) = try await LightboxProcess.serve(in: directory, environment: [:])
        defer { server.signal(SIGTERM) }

        // What it made, said once: a unique ledger, the governance key (with an empty passphrase: none was given).
        let said = try String(contentsOf: server.stdoutFile, encoding: .utf8)
        #expect(said.contains("Created a development ledger, lightbox-dev-") && said.contains("EMPTY passphrase"), "\(said)")
        #expect(said.contains("lightbox governance arbiter add"))
        let ready = try #require(await LightboxProcess.get(url + "/readyz"))
        #expect(ready.status == 200 && ready.body.contains(#""ledger":"development""#), "\(ready.body)")

        let environment = ["LIGHTBOX_SERVER": url, "LIGHTBOX_KEY_PASSPHRASE": ""]
        func lightbox(_ arguments: [String], key: String? = nil) async throws -> LightboxProcess.Output {
            try await LightboxProcess.run(
                arguments + ["--data-dir", "d"] + (key.map { ["--key", $0] } ?? []), in: directory, environment: environment, timeout: .seconds(180))
        }
        let accounts = try await LightboxProcess.accounts(["seller", "buyer", "arbiter"], in: directory, environment: environment)
        let arbiter = try #require(accounts["arbiter"])
        let shown = try await lightbox(["keys", "show", "--name", "governance"])
        #expect(shown.status == 0 && said.contains(shown.stdout.split(separator: " ")[1]), "\(shown.stdout) \(shown.stderr)")

        // Only governance registers arbiters.
        let refused = try await lightbox(["governance", "arbiter", "add", arbiter], key: "seller")
        #expect(refused.status == 1 && refused.stderr.contains("only governance"), "\(refused.stderr)")
        let added = try await lightbox(["governance", "arbiter", "add", arbiter], key: "governance")
        #expect(added.status == 0 && added.stdout.contains("is an arbiter"), "\(added.stdout) \(added.stderr)")
        // QA keys are authorised by address: a key that is no address is refused before anything is signed; another
        // checker's key is added and withdrawn again (the node's own, registered at creation, stays).
        let badKey = try await lightbox(["governance", "qa-key", "add", String(repeating: "ab", count: 32)], key: "governance")
        #expect(badKey.status == 1 && badKey.stderr.contains("is not an account address"), "\(badKey.stderr)")
        let checker = try #require(accounts["seller"])
        for change in ["add", "remove"] {
            let changed = try await lightbox(["governance", "qa-key", change, checker], key: "governance")
            #expect(changed.status == 0 && changed.stdout.lowercased().contains("qa key \(checker.lowercased())"), "\(changed.stdout) \(changed.stderr)")
        }

        let generated = try await LightboxProcess.run(["dataset", "generate", "set", "--images", "12", "--width", "96", "--height", "72"], in: directory)
        #expect(generated.status == 0, "\(generated.stderr)")
        let published = try await lightbox(["publish", "set", "--title", "First run", "--task", "detection", "--price", "10", "--licence", "commercial"], key: "seller")
        #expect(published.status == 0 && published.stdout.contains("listing 1 is active"), "\(published.stdout) \(published.stderr)")
        for key in ["buyer", "arbiter"] { #expect(try await lightbox(["faucet", "--amount", "100"], key: key).status == 0) }
        #expect(try await lightbox(["buy", "1"], key: "buyer").stdout.contains("purchase 1 of listing 1: delivered"))
        let pulled = try await lightbox(["pull", "1", "--output", "out"], key: "buyer")
        #expect(pulled.status == 0 && pulled.stdout.contains("files decrypted into out"), "\(pulled.stdout) \(pulled.stderr)")
        #expect(try await lightbox(["accept", "1"], key: "buyer").status == 0)

        // A second purchase, disputed by the buyer and answered by the seller, goes to the arbiter governance added.
        let opened = try await lightbox(["dispute", "open", "1", "--reason", "Boxes miss small objects"], key: "buyer")
        #expect(opened.status == 1, "an accepted purchase cannot be disputed: \(opened.stdout)")
        let secondBuyer = try await LightboxProcess.accounts(["second"], in: directory, environment: environment)
        #expect(secondBuyer["second"] != nil)
        #expect(try await lightbox(["faucet", "--amount", "100"], key: "second").status == 0)
        #expect(try await lightbox(["buy", "1"], key: "second").stdout.contains("purchase 2 of listing 1: delivered"))
        let dispute = try await lightbox(["dispute", "open", "2", "--reason", "Boxes miss small objects"], key: "second")
        #expect(dispute.status == 0, "\(dispute.stdout) \(dispute.stderr)")
        #expect(try await lightbox(["dispute", "evidence", "2", "--reason", "The boxes follow the guidelines"], key: "seller").status == 0)
        let queue = try await lightbox(["dispute", "list", "--json"], key: "arbiter")
        #expect(queue.stdout.contains("\"purchase_id\" : 2") || queue.stdout.contains("\"purchase_id\":2"), "\(queue.stdout) \(queue.stderr)")
        let ruled = try await lightbox(["dispute", "rule", "2", "--buyer-bps", "5000"], key: "arbiter")
        #expect(ruled.status == 0, "\(ruled.stdout) \(ruled.stderr)")
        let balance = try await lightbox(["balance", "--json"], key: "arbiter")
        #expect(balance.stdout.contains("\"balance\" : \"105\"") || balance.stdout.contains("\"balance\":\"105\""), "\(balance.stdout)")

        // The same directory started for production is refused: it holds a development ledger.
        server.signal(SIGTERM)
        _ = try await server.wait(timeout: .seconds(60))
        let production = try await LightboxProcess.run(
            ["serve", "--port", "\(try LightboxProcess.freePort())", "--data-dir", "d"], in: directory,
            environment: ["LIGHTBOX_LEDGER_MODE": "production"])
        #expect(production.status == 1 && production.stderr.contains("refuses a development ledger"), "\(production.stderr)")
    }

    @Test("two nodes started with the defaults have different ledgers, hence different EIP-712 domains")
    func uniqueDomains() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var domains: [String] = []
        for name in ["one", "two"] {
            let node = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
            let (server, url) = try await LightboxProcess.serve(in: node, environment: [:])
            let ledger = try #require(await LightboxProcess.get(url + "/v1/ledger"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(ledger.body.utf8)) as? [String: Any])
            domains.append("\(object["ledger_id"] ?? "")/\(object["verifying_contract"] ?? "")")
            #expect(object["dev_mode"] as? Bool == true)
            server.signal(SIGTERM)
            _ = try await server.wait(timeout: .seconds(60))
        }
        #expect(domains.count == 2 && domains[0] != domains[1], "\(domains)")
    }
}
