import Foundation
import LightboxCrypto
import LightboxTestSupport
import Testing

/// The marketplace's client commands and `lightbox demo`, run as real processes against a real server.
@Suite("CLI: the marketplace client and the demo", .serialized)
struct MarketplaceCommandTests {
    @Test("lightbox demo walks through publish, rejection, purchase and dispute, and ends with the balances the fees imply")
    func demo() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await LightboxProcess.run(["demo", "--images", "24"], in: directory, timeout: .seconds(300))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let text = output.stdout
        for expected in [
            "publication", "active", "rejected: verdict fail", "files decrypted, each matching manifest", "accepted: the escrow paid the seller",
            "ruled: half the price back to the buyer", "DisputeOpened → Evidence → Evidence → Ruling → EscrowSplit",
        ] {
            #expect(text.contains(expected), "missing '\(expected)' in:\n\(text)")
        }
        // 40-token listing, 2.5 % fee, 5-token arbitration fee, a 50 % split: the amounts are exact.
        let balances = Dictionary(text.split(separator: "\n").compactMap { line -> (String, String)? in
            let words = line.split(separator: " ")
            guard let tokens = words.firstIndex(of: "tokens"), tokens > 0, line.contains("0x") else { return nil }
            return (words.prefix { !$0.hasPrefix("0x") }.joined(separator: " "), String(words[tokens - 1]))
        }) { first, _ in first }
        #expect(balances["contributor"] == "68.5" && balances["buyer"] == "60" && balances["second buyer"] == "75", "\(balances)")
        #expect(balances["arbiter"] == "5" && balances["treasury"] == "1.5", "\(balances)")
    }

    @Test("lightbox demo --ledger evm runs the story on a chain someone else started, prints the contracts and the listing, and its directory serves afterwards")
    func demoOnChain() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deployer = try await TestChain.fundedKey(100 * TestChain.ether)
        let keyFile = directory.appendingPathComponent("deployer.hex")
        try Data(deployer.bytes.hexString.utf8).write(to: keyFile)
        let url = try TestChain.sharedURL()
        let output = try await LightboxProcess.run(
            ["demo", "--images", "24", "--ledger", "evm", "--rpc-url", url, "--deployer-key-file", keyFile.path, "--json", "--directory", "kept"],
            in: directory, timeout: .seconds(300))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stdout)")
        #expect(result["chain_id"] as? Int == 31337 && result["listing_id"] as? Int == 1 && result["ledger"] as? String == "evm")
        let contracts = try #require(result["contracts"] as? [String: String])
        #expect(Set(contracts.keys) == ["governance", "registry", "escrow", "licences", "payment_token"])
        #expect(output.stderr.contains("ruled: half the price back to the buyer") && output.stderr.contains("contributor") && output.stderr.contains("68.5 tokens"))
        // The kept node names its chain: its ledger status reads the same contracts and the listing's events.
        let status = try await LightboxProcess.run(["ledger", "status", "--json", "--data-dir", "kept/node"], in: directory)
        #expect(status.status == 0, "\(status.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((report["contracts"] as? [String: String])?["escrow"] == contracts["escrow"] && report["backend"] as? String == "evm")
    }

    @Test("publish, listings, buy, pull (twice: the second resumes), accept, licence and balance against lightbox serve")
    func clientCommands() async throws {
        let directory = try LightboxProcess.workingDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = try await ClientNode.start(accounts: ["seller", "buyer"], in: directory)
        defer { node.stop() }
        func lightbox(_ arguments: [String], key: String? = nil) async throws -> LightboxProcess.Output { try await node.run(arguments, key: key) }

        let generated = try await LightboxProcess.run(["dataset", "generate", "set", "--images", "12", "--width", "96", "--height", "72"], in: directory)
        #expect(generated.status == 0, "stderr: \(generated.stderr)")
        // One file too large to pack into the upload's archives travels in a request of its own.
        let large = directory.appendingPathComponent("set/notes/large.bin")
        try FileManager.default.createDirectory(at: large.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).write(to: large)
        let missing = try await lightbox(["publish", "nowhere", "--title", "x", "--task", "detection", "--price", "1"], key: "seller")
        #expect(missing.status == 1 && missing.stderr.contains("nowhere is not a directory"))
        let noKey = try await lightbox(["balance"])
        #expect(noKey.status == 1 && noKey.stderr.contains("--key NAME"))

        let published = try await lightbox(["publish", "set", "--title", "Tiny streets", "--task", "detection", "--price", "12", "--licence", "commercial"], key: "seller")
        #expect(published.status == 0 && published.stdout.contains("listing 1 is active"), "stdout: \(published.stdout) stderr: \(published.stderr)")
        #expect(published.stderr.contains("approved the node as operator"))

        let found = try await lightbox(["listings", "--q", "tiny", "--json"])
        let items = (try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
        #expect(items?.map { $0["listing_id"] as? Int } == [1], "\(found.stdout) \(found.stderr)")
        let shown = try await lightbox(["listing", "show", "1"])
        #expect(shown.status == 0 && shown.stdout.contains("ListingMinted"))

        let broke = try await lightbox(["buy", "1"], key: "buyer")
        #expect(broke.status == 1 && broke.stderr.contains("are needed for listing 1"), "\(broke.stderr)")
        #expect(try await lightbox(["faucet", "--amount", "50"], key: "buyer").status == 0)
        let bought = try await lightbox(["buy", "1"], key: "buyer")
        #expect(bought.status == 0 && bought.stdout.contains("purchase 1 of listing 1: delivered"), "\(bought.stdout) \(bought.stderr)")

        let pulled = try await lightbox(["pull", "1", "--output", "out"], key: "buyer")
        #expect(pulled.status == 0 && pulled.stdout.contains("files decrypted into out"), "\(pulled.stdout) \(pulled.stderr)")
        for file in ["annotations/instances_train.json", "annotations/instances_val.json", "notes/large.bin"] {
            #expect(FileManager.default.contentsEqual(
                atPath: directory.appendingPathComponent("set/" + file).path, andPath: directory.appendingPathComponent("out/" + file).path))
        }
        let again = try await lightbox(["pull", "1", "--output", "out2", "--json"], key: "buyer")
        let summary = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(summary?["resumed_files"] as? Int == summary?["files"] as? Int, "\(again.stdout) \(again.stderr)")
        #expect(try await lightbox(["pull", "1", "--output", "out"], key: "buyer").status == 1, "an existing output is refused")
        #expect(try await lightbox(["pull", "1", "--output", "out3"], key: "seller").status == 1, "only the buyer gets the key")

        #expect(try await lightbox(["accept", "1"], key: "buyer").status == 0)
        // An accepted purchase can no longer be disputed: the evidence is stored, then the ledger refuses the intent.
        for command in [["dispute", "open"], ["dispute", "evidence"]] {
            let refused = try await lightbox(command + ["1", "--reason", "Boxes miss small objects"], key: "buyer")
            #expect(refused.status == 1 && refused.stderr.contains("the server refused (409 ledger_refused)"), "\(command): \(refused.stderr)")
        }
        let licence = try await lightbox(["licence", "show", "1"], key: "buyer")
        #expect(licence.stdout.contains("licence 1 to listing 1: active") && licence.stdout.contains("escrow released"), "\(licence.stdout)")
        let balance = try await lightbox(["balance", "--json"], key: "seller")
        let account = try JSONSerialization.jsonObject(with: Data(balance.stdout.utf8)) as? [String: Any]
        #expect(account?["balance"] as? String == "11.7", "\(balance.stdout)")
    }
}
