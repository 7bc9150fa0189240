import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// An embedded ledger anchored on the development chain: its checkpoints published to a LogAnchor when due, and
/// the log checked against them — a rewritten or shortened history fails, whatever its own checkpoints say.
@Suite("Anchoring the embedded log on a chain")
struct LogAnchoringTests {
    @Test("checkpoints are anchored when due, the log agrees with them, and a rewritten, shortened or foreign log does not")
    func anchoring() async throws {
        try await TestDatabases.with(.sqlite) { database, _ in
            let (ledger, f, clock) = try await EmbeddedLedgerTests.populated(database)
            let log: any LedgerLog = ledger
            let url = try TestChain.sharedURL()
            let node = try await TestChain.sender(try await TestChain.fundedKey(url: url), url: url)
            let origin = try await ledger.signedCheckpoint().checkpoint.origin
            let contract = try await LogAnchoring.deploy(origin: origin, sender: node)
            let anchoring = LogAnchoring(rpc: node.rpc, contract: contract)
            #expect(try await anchoring.origin() == origin && anchoring.contract == contract)
            #expect(try await anchoring.latest() == nil)

            // The first checkpoint is due at once; then only after three more entries (or an hour).
            let publisher = LogAnchorPublisher(log: log, anchoring: anchoring, sender: node, everyEntries: 3, everySeconds: 3_600)
            let first = try #require(try await publisher.publishIfDue(now: clock.now))
            let root = try await ledger.rootHash()
            #expect(first.size == 11 && first.root == root)
            #expect(try await publisher.publishIfDue(now: clock.now) == nil, "nothing new to anchor")
            var fixture = f
            func grow(_ count: Int) async throws {
                for _ in 0..<count {
                    fixture.now = clock.now
                    try await ledger.submit(try fixture.sign(.faucet(amount: .tokens(1)), by: fixture.bob))
                    fixture.state = try await ledger.completeState()
                }
            }
            try await grow(2)
            #expect(try await publisher.publishIfDue(now: clock.now) == nil, "two entries are not yet due")
            #expect(try await publisher.publishIfDue(now: first.time + 3_600)?.size == 13, "an hour later, any growth is")
            try await grow(3)
            #expect(try await publisher.publishIfDue(now: clock.now)?.size == 16)
            #expect(try await publisher.publishNow() == nil, "the chain holds the latest checkpoint already")
            #expect(try await anchoring.anchors().map(\.size) == [11, 13, 16])
            #expect(try await AnchoredLogCheck(log: log, anchoring: anchoring).verify().count == 3)

            // Only the node's account anchors, and sizes only grow.
            let stranger = try await TestChain.sender(try await TestChain.fundedKey(url: url), url: url)
            await #expect(throws: EVMError.self) { try await anchoring.publish(size: 20, root: first.root, sender: stranger) }
            await #expect(throws: EVMError.self) { try await anchoring.publish(size: 16, root: first.root, sender: node) }
        }
    }

    @Test("a log rewritten under the same name, or cut short, fails against what was anchored; another log's anchor is refused")
    func rewrittenHistory() async throws {
        try await TestDatabases.with(.sqlite) { original, _ in
            try await TestDatabases.with(.sqlite) { rewritten, _ in
                let (ledger, _, clock) = try await EmbeddedLedgerTests.populated(original)
                let url = try TestChain.sharedURL()
                let node = try await TestChain.sender(try await TestChain.fundedKey(url: url), url: url)
                let origin = try await ledger.signedCheckpoint().checkpoint.origin
                let anchoring = LogAnchoring(rpc: node.rpc, contract: try await LogAnchoring.deploy(origin: origin, sender: node))
                _ = try await LogAnchorPublisher(log: ledger, anchoring: anchoring, sender: node, everyEntries: 1, everySeconds: 60)
                    .publishIfDue(now: clock.now)

                // The same ledger made again with one intent left out: same name, same key, its own checkpoints valid.
                _ = try await Migrator(migrations: LedgerMigrations.all).migrate(rewritten, logger: TestDatabases.logger)
                var f = try LedgerFixture()
                let again = try await EmbeddedLedgerTests.open(rewritten, f, clock: EmbeddedLedgerTests.Clock())
                for account in [f.alice, f.bob, f.dave] {
                    try await again.submit(try f.sign(.faucet(amount: .tokens(1_000)), by: account))
                    f.state = try await again.completeState()
                }
                do {
                    _ = try await AnchoredLogCheck(log: again, anchoring: anchoring).verify()
                    Issue.record("a log shorter than its anchor passed")
                } catch let error as LedgerError {
                    #expect(error.code == .tampered && error.message.contains("entries were removed"), "\(error.message)")
                }
                for _ in 0..<7 {
                    try await again.submit(try f.sign(.faucet(amount: .tokens(5)), by: f.alice))
                    f.state = try await again.completeState()
                }
                #expect(try await again.size() == (try await ledger.size()))
                do {
                    _ = try await AnchoredLogCheck(log: again, anchoring: anchoring).verify()
                    Issue.record("a rewritten log passed")
                } catch let error as LedgerError {
                    #expect(error.code == .tampered && error.message.contains("history was rewritten"), "\(error.message)")
                    #expect(error.message.contains(" UTC"), "the anchor's time is a date: \(error.message)")
                }

                // An anchor made for another log is not this log's.
                let foreign = LogAnchoring(rpc: node.rpc, contract: try await LogAnchoring.deploy(origin: "lightbox.ledger/elsewhere", sender: node))
                await #expect(throws: LedgerError(.invalidCheckpoint, "")) { try await AnchoredLogCheck(log: ledger, anchoring: foreign).verify() }
            }
        }
    }
}
