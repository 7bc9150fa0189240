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
}
