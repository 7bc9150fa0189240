import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import Node
import Persistence
import Testing

/// `lightbox keys` and `lightbox ledger`, run as real processes against a node's data directory.
@Suite("CLI: keys and the ledger")
struct LedgerCommandTests {
    static let passphrase = ["LIGHTBOX_KEY_PASSPHRASE": "correct horse"]

    @Test("keys: new, list, show --check, import from a keystore and from a hex key; refusals leave nothing behind")
    func keys() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let created = try await LightboxProcess.run(["keys", "new", "--data-dir", "d", "--name", "alice", "--light-kdf", "--json"], in: directory, environment: Self.passphrase)
        #expect(created.status == 0, "\(created.stderr)")
        let alice = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as! [String: String]
        let keystore = directory.appendingPathComponent("d/keystore/alice.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: keystore.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // The file is a standard v3 keystore that opens with the passphrase to the listed address and X25519 key.
        let stored = try JSONDecoder().decode(Web3Keystore.self, from: Data(contentsOf: keystore))
        let keys = AccountKeys(try stored.decrypt(password: "correct horse"))
        #expect(keys.address.description == alice["address"] && keys.sealing.publicKey.bytes.hexString == alice["x25519"])

        let shown = try await LightboxProcess.run(["keys", "show", "alice", "--check", "--data-dir", "d"], in: directory, environment: Self.passphrase)
        #expect(shown.status == 0 && shown.stdout.contains(alice["address"]!))
        let wrong = try await LightboxProcess.run(["keys", "show", "alice", "--check", "--data-dir", "d"], in: directory, environment: ["LIGHTBOX_KEY_PASSPHRASE": "nope"])
        #expect(wrong.status == 1 && wrong.stderr.contains("cannot unlock key alice"))

        // Import: the keystore under a new name and passphrase, and a raw key.
        try Data("other passphrase\n".utf8).write(to: directory.appendingPathComponent("pass.txt"))
        try Data("wrong\n".utf8).write(to: directory.appendingPathComponent("wrong.txt"))
        let imported = try await LightboxProcess.run(
            ["keys", "import", "--data-dir", "d", "--name", "alice-copy", "--keystore-file", keystore.path, "--source-passphrase-file", "wrong.txt",
             "--passphrase-file", "pass.txt", "--light-kdf"], in: directory)
        #expect(imported.status == 1 && imported.stderr.contains("cannot open"))
        try Data("correct horse\n".utf8).write(to: directory.appendingPathComponent("old.txt"))
        let reimported = try await LightboxProcess.run(
            ["keys", "import", "--data-dir", "d", "--name", "alice-copy", "--keystore-file", keystore.path, "--source-passphrase-file", "old.txt",
             "--passphrase-file", "pass.txt", "--light-kdf"], in: directory)
        #expect(reimported.status == 0 && reimported.stdout.contains(alice["address"]!), "\(reimported.stderr)")
        let raw = Secp256k1.PrivateKey.random()
        try Data(("0x" + raw.bytes.hexString + "\n").utf8).write(to: directory.appendingPathComponent("raw.hex"))
        let fromHex = try await LightboxProcess.run(
            ["keys", "import", "--data-dir", "d", "--name", "bob", "--private-key-file", "raw.hex", "--light-kdf"], in: directory, environment: Self.passphrase)
        #expect(fromHex.stdout.contains(EthereumAddress(publicKey: raw.publicKey).description))

        let listed = try await LightboxProcess.run(["keys", "list", "--data-dir", "d"], in: directory)
        #expect(listed.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["alice", "alice-copy", "bob"])

        for (arguments, message) in [
            (["keys", "new", "--data-dir", "d", "--name", "alice", "--light-kdf"], "exists already"),
            (["keys", "new", "--data-dir", "d", "--name", "../escape", "--light-kdf"], "is not"),
            (["keys", "show", "carol", "--data-dir", "d"], "no key named carol"),
            (["keys", "import", "--data-dir", "d", "--name", "x", "--private-key-file", "pass.txt"], "does not hold a secp256k1 private key"),
        ] {
            let refused = try await LightboxProcess.run(arguments, in: directory, environment: Self.passphrase)
            #expect(refused.status == 1 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("d/keystore").path).sorted()
        #expect(names == ["alice-copy.json", "alice.json", "bob.json"])
        let noPassphrase = try await LightboxProcess.run(["keys", "new", "--data-dir", "d", "--name", "dave", "--light-kdf"], in: directory)
        #expect(noPassphrase.status == 1 && noPassphrase.stderr.contains("LIGHTBOX_KEY_PASSPHRASE"))
    }

    @Test("ledger: head, verifier key, entry, proofs and events print what verifies; verify exits 1 naming a tampered entry")
    func ledger() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let none = try await LightboxProcess.run(["ledger", "head", "--data-dir", "d"], in: directory)
        #expect(none.status == 1 && none.stderr.contains("`lightbox serve` creates one"), "\(none.stderr)")

        // A node whose ledger holds a funded account's transfers, written through the library with the node's key.
        let governance = Secp256k1.PrivateKey.random()
        let environment: [String: String] = [:]
        let (dataDirectory, _) = try DataDirectory.prepare(directory.appendingPathComponent("d").path)
        let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
        let database = try await DatabaseOpener.open(.sqlite(path: directory.appendingPathComponent("d/lightbox.sqlite").path), logger: TestDatabases.logger)
        // (Its tables were made by the `ledger head` above.)
        let parameters = try LedgerParameters(ledgerID: "lightbox-cli", governance: EthereumAddress(publicKey: governance.publicKey))
        let ledger = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: parameters, logger: TestDatabases.logger)
        let log = try #require(ledger.log)
        let alice = Secp256k1.PrivateKey.random()
        let aliceAddress = EthereumAddress(publicKey: alice.publicKey)
        let domain = ledger.parameters.domain
        try await ledger.submit(try Intent(.faucet(amount: .tokens(100)), account: aliceAddress, nonce: 0, deadline: UInt64.max).signed(by: alice, domain: domain))
        for nonce in 1...5 as ClosedRange<UInt64> {
            try await ledger.submit(try Intent(.transfer(to: EthereumAddress(publicKey: governance.publicKey), amount: .tokens(nonce)), account: aliceAddress, nonce: nonce, deadline: UInt64.max).signed(by: alice, domain: domain))
        }
        let root = try await log.rootHash(treeSize: 7)
        let third = try await log.entry(3)
        await database.close()

        // The head and the verifier key are named after the ledger's genesis entry, not a setting.
        let head = try await LightboxProcess.run(["ledger", "head", "--data-dir", "d"], in: directory)
        #expect(head.status == 0, "\(head.stderr)")
        let keyOutput = try await LightboxProcess.run(["ledger", "verifier-key", "--data-dir", "d"], in: directory)
        #expect(keyOutput.stdout.hasPrefix("lightbox.ledger/lightbox-cli+"))
        let verifier = try SignedNote.Verifier(keyOutput.stdout.trimmingCharacters(in: .newlines))
        #expect(try Checkpoint(text: try SignedNote.open(head.stdout, verifiers: [verifier]).text).size == 7)

        let entry = try await LightboxProcess.run(["ledger", "entry", "--index", "3", "--data-dir", "d"], in: directory, environment: environment)
        #expect(Array(entry.stdout.utf8) == third)
        let proofOutput = try await LightboxProcess.run(["ledger", "proof", "--index", "3", "--data-dir", "d"], in: directory, environment: environment)
        let proof = try JSONSerialization.jsonObject(with: Data(proofOutput.stdout.utf8)) as! [String: Any]
        #expect(proof["index"] as? Int == 3 && proof["size"] as? Int == 7)
        let path = (proof["path"] as! [String]).map { [UInt8](Data(base64Encoded: $0)!) }
        let leafHash = [UInt8](Data(base64Encoded: proof["leaf_hash"] as! String)!)
        #expect(leafHash == MerkleTree.leafHash(third))
        #expect(MerkleTree.verifyInclusion(leafHash: leafHash, index: 3, treeSize: 7, proof: path, root: root))
        let consistencyOutput = try await LightboxProcess.run(["ledger", "consistency", "--from", "2", "--to", "7", "--data-dir", "d"], in: directory, environment: environment)
        let consistency = try JSONSerialization.jsonObject(with: Data(consistencyOutput.stdout.utf8)) as! [String: Any]
        #expect(consistency["from"] as? Int == 2 && (consistency["path"] as? [String])?.isEmpty == false)
        let events = try await LightboxProcess.run(["ledger", "events", "--account", aliceAddress.description, "--data-dir", "d"], in: directory, environment: environment)
        #expect(events.stdout.split(separator: "\n").count == 6 && events.stdout.contains("Token.Transfer"))
        let verified = try await LightboxProcess.run(["ledger", "verify", "--data-dir", "d"], in: directory, environment: environment)
        #expect(verified.status == 0 && verified.stdout.contains("7 entries"), "\(verified.stderr)")

        // An edited row: verify exits 1 and names the entry.
        let edited = String(decoding: third, as: UTF8.self).replacingOccurrences(of: "\"amount\":\"2000000000000000000\"", with: "\"amount\":\"9000000000000000000\"")
        #expect(edited != String(decoding: third, as: UTF8.self))
        let tamper = try await DatabaseOpener.open(.sqlite(path: directory.appendingPathComponent("d/lightbox.sqlite").path), logger: TestDatabases.logger)
        try await tamper.execute("UPDATE ledger_entries SET leaf = \(Array(edited.utf8)), leaf_hash = \(MerkleTree.leafHash(Array(edited.utf8))) WHERE idx = 3", logger: TestDatabases.logger)
        await tamper.close()
        let caught = try await LightboxProcess.run(["ledger", "verify", "--data-dir", "d"], in: directory, environment: environment)
        #expect(caught.status == 1 && caught.stderr.contains("entry 3 does not fit"), "\(caught.stderr)")
        let beyond = try await LightboxProcess.run(["ledger", "proof", "--index", "7", "--data-dir", "d"], in: directory, environment: environment)
        #expect(beyond.status == 1 && beyond.stderr.contains("entry 7 is not in a tree of 7 entries"))
    }

    @Test("bench ledger --data-dir leaves a node directory the ledger commands open and verify")
    func benchDirectory() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let bench = try await LightboxProcess.run(
            ["bench", "ledger", "--data-dir", "b", "--intents", "60", "--batch", "20", "--proofs", "3"], in: directory)
        #expect(bench.status == 0 && bench.stdout.contains("BENCH {"), "\(bench.stderr)")
        let verified = try await LightboxProcess.run(["ledger", "verify", "--data-dir", "b"], in: directory)
        #expect(verified.status == 0 && verified.stdout.contains("61 entries"), "\(verified.stderr)")
        let head = try await LightboxProcess.run(["ledger", "head", "--data-dir", "b"], in: directory)
        let key = try await LightboxProcess.run(["ledger", "verifier-key", "--data-dir", "b"], in: directory)
        let verifier = try SignedNote.Verifier(key.stdout.trimmingCharacters(in: .newlines))
        #expect(try Checkpoint(text: try SignedNote.open(head.stdout, verifiers: [verifier]).text).size == 61)
        let again = try await LightboxProcess.run(["bench", "ledger", "--data-dir", "b", "--intents", "10"], in: directory)
        #expect(again.status == 1 && again.stderr.contains("give an empty --data-dir"))
    }

    @Test("a benchmark finds its Python baseline when started outside the checkout")
    func baselineFromAnyDirectory() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let bench = try await LightboxProcess.run(
            ["bench", "persistence", "--rows", "200", "--batch", "50", "--reads", "20"], in: directory)
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("\"name\":\"python sqlite3\""), "\(bench.stdout)")
        let elsewhere = try await LightboxProcess.run(
            ["bench", "persistence", "--rows", "20", "--reads", "5"], in: directory,
            environment: ["LIGHTBOX_CHECKOUT": directory.path])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("set LIGHTBOX_CHECKOUT"), "\(elsewhere.stderr)")
    }
}
