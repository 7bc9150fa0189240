import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Testing

/// `lightbox ledger deploy` and `lightbox ledger status` against the development chain, as an operator runs them.
@Suite("Ledger commands on a chain")
struct ChainLedgerCommandTests {
    @Test("deploy writes the deployment file once; status reads the chain, the index and the relayer; a wrong chain is refused")
    func deployAndStatus() async throws {
        let url = try TestChain.sharedURL()
        let directory = try TestDatabases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deployer = try await TestChain.fundedKey(100 * TestChain.ether)
        let keyFile = directory.appendingPathComponent("deployer.hex")
        try Data(deployer.bytes.hexString.utf8).write(to: keyFile)
        let base = ["LIGHTBOX_KEY_PASSPHRASE": ""]
        func lightbox(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> LightboxProcess.Output {
            try await LightboxProcess.run(arguments + ["--data-dir", "d"], in: directory, environment: base.merging(extra) { $1 }, timeout: .seconds(120))
        }
        let imported = try await lightbox(["keys", "import", "--name", "deployer", "--private-key-file", keyFile.path, "--light-kdf"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let production = try await lightbox(["ledger", "deploy", "--rpc-url", url, "--key", "deployer"])
        #expect(production.status == 1 && production.stderr.contains("--payment-token"), "\(production.stderr)")
        let deployed = try await lightbox(["ledger", "deploy", "--rpc-url", url, "--key", "deployer", "--dev", "--confirmations", "1", "--json"])
        #expect(deployed.status == 0, "\(deployed.stderr)")
        let addresses = try ContractAddresses(json: Array(deployed.stdout.utf8))
        #expect(addresses.chainID == 31337 && addresses.developmentToken && addresses.owner == EthereumAddress(publicKey: deployer.publicKey))
        let file = directory.appendingPathComponent("d/evm-deployment.json")
        #expect(try ContractAddresses(json: Array(try Data(contentsOf: file))) == addresses)
        let again = try await lightbox(["ledger", "deploy", "--rpc-url", url, "--key", "deployer", "--dev"])
        #expect(again.status == 1 && again.stderr.contains("already names a deployment"), "\(again.stderr)")

        let chain = ["LIGHTBOX_LEDGER_BACKEND": "evm", "LIGHTBOX_LEDGER_EVM_RPC_URL": url, "LIGHTBOX_LEDGER_EVM_CONFIRMATIONS": "1"]
        let status = try await lightbox(["ledger", "status", "--json"], chain)
        #expect(status.status == 0, "\(status.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(report["backend"] as? String == "evm" && report["chain_id"] as? Int == 31337)
        #expect((report["contracts"] as? [String: String])?["escrow"] == addresses.escrow.description)
        #expect((report["indexed_block"] as? Int ?? 0) >= Int(addresses.deploymentBlock ?? 0) && report["indexer_lag_blocks"] as? Int == 0)
        #expect(UInt128(report["relayer_balance_wei"] as? String ?? "") ?? 0 >= 10 * TestChain.ether)

        let wrongChain = try await lightbox(["ledger", "status"], chain.merging(["LIGHTBOX_LEDGER_EVM_CHAIN_ID": "1"]) { $1 })
        #expect(wrongChain.status == 1 && wrongChain.stderr.contains("ledger.evm.chain-id is 1") && wrongChain.stderr.contains("31337"), "\(wrongChain.stderr)")
        let noURL = try await lightbox(["ledger", "status"], ["LIGHTBOX_LEDGER_BACKEND": "evm"])
        #expect(noURL.status == 1 && noURL.stderr.contains("ledger.evm.rpc-url"), "\(noURL.stderr)")
    }

    @Test("an embedded ledger anchored on the chain: deploy (the node's account funded first), serve anchors by itself, verify --anchored passes, and a log made again fails it")
    func anchoredLog() async throws {
        let url = try TestChain.sharedURL()
        let directory = try TestDatabases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ["LIGHTBOX_KEY_PASSPHRASE": "", "LIGHTBOX_LEDGER_ID": "anchored-node", "LIGHTBOX_LEDGER_EVM_CONFIRMATIONS": "1"]
        func lightbox(_ arguments: [String]) async throws -> LightboxProcess.Output {
            try await LightboxProcess.run(arguments + ["--data-dir", "d"], in: directory, environment: environment, timeout: .seconds(120))
        }
        func serveBriefly(until ready: () async throws -> Bool = { true }) async throws {
            let port = try LightboxProcess.freePort()
            let server = try LightboxProcess.start(["serve", "--port", "\(port)", "--data-dir", "d"], in: directory, environment: environment)
            _ = try await LightboxProcess.waitUntilServing("http://127.0.0.1:\(port)/healthz", running: server)
            var done = false
            for _ in 0..<300 where !done {
                done = try await ready()
                if !done { try await Task.sleep(for: .milliseconds(100)) }
            }
            server.signal(SIGTERM)
            #expect(try await server.wait(timeout: .seconds(20)).status == 0)
            #expect(done, "serve did not anchor the log")
        }
        try await serveBriefly()  // makes the node's development ledger

        // The node's account pays: unfunded, the deployment says so and which account to fund.
        let unfunded = try await lightbox(["ledger", "anchor", "deploy", "--rpc-url", url])
        #expect(unfunded.status == 1 && unfunded.stderr.contains("fund it"), "\(unfunded.stderr)")
        let account = try #require(unfunded.stderr.firstMatch(of: #/0x[0-9a-fA-F]{40}/#).map { try EthereumAddress(String($0.0)) })
        let funder = try await TestChain.sender(try TestChain.developmentKey(), url: url)
        _ = try await funder.send(to: account, data: [], value: TestChain.ether, what: "funding the node's account")
        let deployed = try await lightbox(["ledger", "anchor", "deploy", "--rpc-url", url])
        #expect(deployed.status == 0, "\(deployed.stderr)")
        let contract = try #require(deployed.stdout.firstMatch(of: #/deployed at (0x[0-9a-fA-F]{40})/#).map { String($0.1) }, "\(deployed.stdout)")
        let notSet = try await lightbox(["ledger", "verify", "--anchored"])
        #expect(notSet.status == 1 && notSet.stderr.contains("ledger.anchor.rpc-url"), "\(notSet.stderr)")

        // Configured, serve anchors the log by itself; the log agrees with what it anchored.
        environment["LIGHTBOX_LEDGER_ANCHOR_RPC_URL"] = url
        environment["LIGHTBOX_LEDGER_ANCHOR_CONTRACT"] = contract
        try await serveBriefly {
            try await LogAnchoring(rpc: TestChain.rpc(url), contract: try EthereumAddress(contract)).latest() != nil
        }
        let verified = try await lightbox(["ledger", "verify", "--anchored"])
        #expect(verified.status == 0 && verified.stdout.contains("agrees with all 1 checkpoints anchored at"), "\(verified.stdout) \(verified.stderr)")
        let published = try await lightbox(["ledger", "anchor", "publish"])
        #expect(published.status == 0 && published.stdout.contains("already holds"), "\(published.stdout) \(published.stderr)")

        // The same node's ledger made again from nothing (same id, same keys, its checkpoints signed as before):
        // its own audit passes, the chain's anchors do not.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("d/lightbox.sqlite"))
        environment["LIGHTBOX_LEDGER_ANCHOR_RPC_URL"] = nil
        environment["LIGHTBOX_LEDGER_ANCHOR_CONTRACT"] = nil
        try await Task.sleep(for: .seconds(1.1))  // a later genesis time
        try await serveBriefly()
        environment["LIGHTBOX_LEDGER_ANCHOR_RPC_URL"] = url
        environment["LIGHTBOX_LEDGER_ANCHOR_CONTRACT"] = contract
        let rewritten = try await lightbox(["ledger", "verify", "--anchored"])
        #expect(rewritten.status == 1 && rewritten.stdout.contains("ok: "), "its own audit passes: \(rewritten.stdout)")
        #expect(rewritten.stderr.contains("anchored") && (rewritten.stderr.contains("rewritten") || rewritten.stderr.contains("removed")), "\(rewritten.stderr)")
    }
}
