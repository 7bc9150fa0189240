import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// The embedded ledger on SQLite and PostgreSQL: the log, its checkpoints and proofs, persistence, events, and
/// the audit that catches edited, removed and reordered rows.
@Suite("Embedded ledger, on SQLite and PostgreSQL")
struct EmbeddedLedgerTests {
    final class Clock: @unchecked Sendable {
        var now: UInt64 = 1_000_000
    }

    static let nodeKey = Ed25519.PrivateKey()

    static func open(_ database: any Database, _ f: LedgerFixture, clock: Clock) async throws -> EmbeddedLedger {
        try await EmbeddedLedger.open(
            database: database, parameters: f.parameters, signer: try SignedNote.Signer(name: f.parameters.origin, key: nodeKey),
            clock: { clock.now }, logger: TestDatabases.logger)
    }

    /// A ledger with a listing, a purchase accepted, and a purchase disputed and ruled.
    static func populated(_ database: any Database) async throws -> (EmbeddedLedger, LedgerFixture, Clock) {
        _ = try await Migrator(migrations: LedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
        var f = try LedgerFixture()
        let clock = Clock()
        let ledger = try await open(database, f, clock: clock)
        func run(_ action: LedgerAction, _ account: LedgerFixture.Account) async throws {
            f.now = clock.now
            let signed = try f.sign(action, by: account)
            try await ledger.submit(signed)
            f.state = try await ledger.completeState()
        }
        for account in [f.alice, f.bob, f.dave] { try await run(.faucet(amount: .tokens(1_000)), account) }
        try await run(.mint(try f.mintRequest()), f.alice)
        try await run(f.purchase(), f.bob)
        try await run(.deliver(purchase: 1, sealedKey: [7]), f.alice)
        try await run(.accept(purchase: 1), f.bob)
        try await run(f.purchase(), f.dave)
        try await run(.openDispute(purchase: 2, evidenceCID: "bafybuyer"), f.dave)
        clock.now += 201
        try await run(.rule(purchase: 2, buyerShare: .whole), f.carol)
        return (ledger, f, clock)
    }

    @Test("every accepted intent is an entry; proofs verify against the signed checkpoint; a reopened ledger is the same", arguments: Backend.allCases)
    func logAndProofs(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let (ledger, f, clock) = try await Self.populated(database)
            let size = try await ledger.size()
            #expect(size == 11)  // genesis and ten intents

            // The head is a signed note over the checkpoint, verifiable with the published verifier key.
            let verifier = try SignedNote.Verifier(ledger.verifierKey)
            let opened = try SignedNote.open(try await ledger.head(), verifiers: [verifier])
            let checkpoint = try Checkpoint(text: opened.text)
            #expect(checkpoint.origin == "lightbox.ledger/test-ledger" && checkpoint.size == size)

            // The stored-subtree proofs equal those computed from every leaf, and verify.
            var leaves: [[UInt8]] = []
            for index in 0..<size { leaves.append(MerkleTree.leafHash(try await ledger.entry(index))) }
            #expect(MerkleTree.root(leaves[...]) == checkpoint.rootHash)
            for treeSize in [1, 2, 5, 8, Int(size)] {
                let root = try await ledger.rootHash(treeSize: UInt64(treeSize))
                #expect(root == MerkleTree.root(leaves[..<treeSize]))
                for index in 0..<treeSize {
                    let proof = try await ledger.inclusionProof(index: UInt64(index), treeSize: UInt64(treeSize))
                    #expect(proof.path == (try MerkleTree.inclusionProof(index: index, leaves: leaves[..<treeSize])))
                    #expect(MerkleTree.verifyInclusion(leafHash: proof.leafHash, index: index, treeSize: treeSize, proof: proof.path, root: root))
                }
                // Proved together (one read of the tree), the same proofs; read together, the same entries.
                let together = try await ledger.inclusionProofs(indices: (0..<UInt64(treeSize)).reversed(), treeSize: UInt64(treeSize))
                #expect(together.count == treeSize)
                for index in 0..<treeSize {
                    #expect(together[UInt64(index)] == (try await ledger.inclusionProof(index: UInt64(index), treeSize: UInt64(treeSize))))
                }
                let entries = try await ledger.entries(Array(0..<UInt64(treeSize)))
                #expect((0..<treeSize).allSatisfy { entries[UInt64($0)].map(MerkleTree.leafHash) == leaves[$0] })
                let consistency = try await ledger.consistencyProof(from: UInt64(treeSize), to: size)
                #expect(MerkleTree.verifyConsistency(oldSize: treeSize, newSize: Int(size), oldRoot: root, newRoot: checkpoint.rootHash, proof: consistency))
            }
            await #expect(throws: LedgerError(.invalidProofRequest, "")) { try await ledger.inclusionProof(index: size, treeSize: nil) }
            await #expect(throws: LedgerError(.invalidProofRequest, "")) { try await ledger.inclusionProofs(indices: [0, size], treeSize: size) }
            await #expect(throws: LedgerError(.unknown, "")) { try await ledger.entries([0, size]) }
            await #expect(throws: LedgerError(.unknown, "")) { try await ledger.entry(size) }

            // An entry's bytes are its canonical JSON, with the events the intent emitted.
            let text = String(decoding: try await ledger.entry(10), as: UTF8.self)
            #expect(text.hasPrefix(#"{"events":[{"contract":"Escrow","fields":{"#))
            #expect(text.contains(#""primaryType":"Rule""#) && text.contains(#""index":"10""#))

            // Reopened from the database: the same state, size and root.
            let state = try await ledger.completeState()
            let reopened = try await Self.open(database, f, clock: clock)
            #expect(try await reopened.completeState() == state)
            #expect(try await reopened.size() == size)
            #expect(try await reopened.rootHash() == checkpoint.rootHash)
            var other = f.parameters
            other.platformFeeBps = try BasisPoints(100)
            await #expect(throws: LedgerError(.notInitialised, "")) {
                try await EmbeddedLedger.open(
                    database: database, parameters: other, signer: try SignedNote.Signer(name: "x", key: Self.nodeKey), logger: TestDatabases.logger)
            }
        }
    }

    @Test("a refused intent leaves the log and the stored state unchanged; a batch keeps the accepted ones", arguments: Backend.allCases)
    func refusals(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let (ledger, f, _) = try await Self.populated(database)
            let size = try await ledger.size()
            let head = try await ledger.head()
            let replay = try f.sign(.accept(purchase: 1), by: f.bob)
            await #expect(throws: LedgerError(.invalidState, "")) { try await ledger.submit(replay) }
            let stale = try await ledger.completeState()
            let old = SignedIntent(intent: Intent(.accept(purchase: 1), account: f.bob.address, nonce: 0, deadline: 9_999_999), domain: f.parameters.domain, signature: [])
            await #expect(throws: LedgerError(.replayed, "")) { try await ledger.submit(old) }
            #expect(try await ledger.size() == size)
            #expect(try await ledger.head() == head)
            #expect(try await ledger.completeState() == stale)

            var g = f
            g.state = stale
            let results = try await ledger.submit([
                try g.sign(.transfer(to: f.alice.address, amount: .tokens(1)), by: f.dave),
                try g.sign(.transfer(to: f.alice.address, amount: .tokens(1_000_000)), by: f.bob),
            ])
            #expect((try? results[0].get()) != nil)
            #expect(throws: LedgerError(.insufficientFunds, "")) { try results[1].get() }
            #expect(try await ledger.size() == size + 1)
            let report = try await LedgerAudit.verify(database: database, verifier: try SignedNote.Verifier(ledger.verifierKey), logger: TestDatabases.logger)
            #expect(report.entries == size + 1)
        }
    }

    @Test("events by listing and by account", arguments: [Backend.sqlite])
    func events(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let (ledger, f, _) = try await Self.populated(database)
            let listing = try await ledger.events(listing: 1)
            #expect(listing.map(\.event.name) == [
                "ListingMinted", "Purchased", "LicenceIssued", "Delivered", "Accepted", "EscrowReleased", "Purchased", "LicenceIssued",
                "DisputeOpened", "Evidence", "Ruling", "EscrowRefunded", "LicenceRevoked",
            ])
            let carol = try await ledger.events(account: f.carol.address)
            #expect(carol.map(\.event.name) == ["DisputeOpened", "Ruling"])
            let page = try await ledger.events(listing: 1, after: listing[5].index, limit: 3)
            #expect(page.map(\.event.name) == ["Purchased", "LicenceIssued", "DisputeOpened"])
        }
    }

    @Test("the audit replays the log and checks every row and checkpoint", arguments: Backend.allCases)
    func audit(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let (ledger, _, _) = try await Self.populated(database)
            let report = try await LedgerAudit.verify(
                database: database, verifier: try SignedNote.Verifier(ledger.verifierKey), logger: TestDatabases.logger, pageSize: 4)
            let root = try await ledger.rootHash()
            #expect(report.entries == 11 && report.checkpoints == 11 && report.rootHash == root)
        }
    }

    /// Entries: 0 genesis, 1–3 faucet, 4 mint, 5 purchase, 6 deliver, 7 accept, 8 purchase, 9 dispute, 10 ruling.
    static var tampering: [(what: String, sql: (_ entry: (UInt64) async throws -> [UInt8]) async throws -> SQLQuery, expected: String)] { [
        ("an amount edited", { entry in
            "UPDATE ledger_entries SET leaf = \(try await edited(entry(5))) WHERE idx = 5"
        }, "entry 5 does not fit"),
        ("an amount edited with its leaf hash", { entry in
            let bytes = try await edited(entry(5))
            return "UPDATE ledger_entries SET leaf = \(bytes), leaf_hash = \(MerkleTree.leafHash(bytes)) WHERE idx = 5"
        }, "entry 5 does not fit"),
        ("an entry removed", { _ in "DELETE FROM ledger_entries WHERE idx = 6" }, "entry 6 is missing"),
        ("the last entry removed", { _ in "DELETE FROM ledger_entries WHERE idx = 10" }, "entry 10 is missing"),
        ("two entries swapped", { entry in
            let (six, seven) = (try await entry(6), try await entry(7))
            return """
                UPDATE ledger_entries SET leaf = CASE idx WHEN 6 THEN \(seven) ELSE \(six) END,
                leaf_hash = CASE idx WHEN 6 THEN \(MerkleTree.leafHash(seven)) ELSE \(MerkleTree.leafHash(six)) END WHERE idx IN (6, 7)
                """
        }, "entry 6 does not fit"),
        ("an event row edited", { _ in "UPDATE ledger_events SET fields = '{}' WHERE idx = 8 AND position = 0" }, "entry 8 does not fit"),
        ("a balance edited", { _ in "UPDATE ledger_state SET value = replace(value, '9', '8') WHERE kind = 'account'" }, "the stored state of account"),
        ("a checkpoint edited", { _ in "UPDATE ledger_checkpoints SET note = replace(note, '\n9\n', '\n8\n') WHERE size = 9" }, "checkpoint at size 9"),
        ("a subtree hash removed", { _ in "DELETE FROM ledger_tree WHERE node = \(Int64(1) << 40 | 1)" }, "entry 2 does not fit"),
    ] }

    static func edited(_ leaf: [UInt8]) -> [UInt8] {
        Array(String(decoding: leaf, as: UTF8.self).replacingOccurrences(of: "100000000000000000000", with: "100000000000000000001").utf8)
    }

    @Test("the audit names the first entry that does not fit when a row is edited, removed or reordered", arguments: Backend.allCases)
    func tampered(backend: Backend) async throws {
        for tampering in Self.tampering {
            try await TestDatabases.with(backend) { database, _ in
                let (ledger, _, _) = try await Self.populated(database)
                try await database.execute(try await tampering.sql { try await ledger.entry($0) }, logger: TestDatabases.logger)
                do {
                    _ = try await LedgerAudit.verify(
                        database: database, verifier: try SignedNote.Verifier(ledger.verifierKey), logger: TestDatabases.logger, pageSize: 4)
                    Issue.record("the audit passed with \(tampering.what)")
                } catch let error as LedgerError {
                    #expect(error.code == .tampered, "\(tampering.what)")
                    #expect(error.message.contains(tampering.expected), "\(tampering.what): \(error.message)")
                }
            }
        }
    }
}
