import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// One ledger, many processes: ledgers opened on the same database each apply intents against the state the last
/// entry left, whichever of them wrote it, and their checkpoints are one log. And a ledger's state is read record by
/// record, never whole.
@Suite("Embedded ledger shared by processes")
struct SharedLedgerTests {
    static let nodeKey = Ed25519.PrivateKey()

    static func open(_ location: DatabaseLocation, _ f: LedgerFixture) async throws -> (any Database, EmbeddedLedger) {
        let database = try await DatabaseOpener.open(location, logger: TestDatabases.logger)
        _ = try await Migrator(migrations: LedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
        let ledger = try await EmbeddedLedger.open(
            database: database, parameters: f.parameters, signer: try SignedNote.Signer(name: f.parameters.origin, key: nodeKey),
            logger: TestDatabases.logger)
        return (database, ledger)
    }

    /// `action` by `key`, signed with the nonce the ledger shows now.
    static func signed(_ action: LedgerAction, by key: Secp256k1.PrivateKey, on ledger: EmbeddedLedger, domain: IntentDomain) async throws -> SignedIntent {
        let account = EthereumAddress(publicKey: key.publicKey)
        let nonce = try await ledger.nextNonce(of: account)
        return try Intent(action, account: account, nonce: nonce, deadline: UInt64(Date().timeIntervalSince1970) + 600).signed(by: key, domain: domain)
    }

    /// Each buyer takes the faucet through one ledger and buys listing 1 through the other, all buyers at once.
    static func buyConcurrently(_ buyers: [Secp256k1.PrivateKey], through ledgers: [EmbeddedLedger], listing: ListingRecord, buyerKey: [UInt8]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, buyer) in buyers.enumerated() {
                let (first, second) = (ledgers[n % 2], ledgers[(n + 1) % 2])
                let domain = first.parameters.domain
                group.addTask {
                    try await first.submit(try await signed(.faucet(amount: .tokens(200)), by: buyer, on: first, domain: domain))
                    let purchase = LedgerAction.purchase(listing: listing.id, price: listing.price, termsHash: listing.termsHash, buyerKey: buyerKey)
                    try await second.submit(try await signed(purchase, by: buyer, on: second, domain: domain))
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("two ledgers on one database: purchases through both at once, one log, tokens conserved", arguments: Backend.allCases)
    func twoProcesses(backend: Backend) async throws {
        let location = try await TestDatabases.freshLocation(backend)
        let f = try LedgerFixture()
        let (firstDatabase, first) = try await Self.open(location, f)
        let (secondDatabase, second) = try await Self.open(location, f)
        let domain = f.parameters.domain

        try await second.submit(try await Self.signed(.faucet(amount: .tokens(10)), by: f.alice.key, on: second, domain: domain))
        try await first.submit(try await Self.signed(.mint(try f.mintRequest(price: .tokens(40))), by: f.alice.key, on: first, domain: domain))
        let listing = try #require(try await second.listing(manifestCID: "bafymanifest1"))
        let headBefore = try await second.head()
        let sizeBefore = try await second.size()

        let buyers = (0..<10).map { _ in Secp256k1.PrivateKey.random() }
        try await Self.buyConcurrently(buyers, through: [first, second], listing: listing, buyerKey: f.buyerKey.publicKey.bytes)

        // Every purchase applied against the balance the other ledger's faucet gave: ten purchases, ids 1 to 10.
        let governance = try await first.governance()
        #expect(governance.purchaseCount == 10)
        #expect(governance.escrowed == .tokens(400))
        var buyersSeen = Set<EthereumAddress>()
        for id in 1...10 as ClosedRange<UInt64> {
            let purchase = try #require(try await second.purchase(id))
            buyersSeen.insert(purchase.buyer)
        }
        #expect(buyersSeen == Set(buyers.map { EthereumAddress(publicKey: $0.publicKey) }))
        for buyer in buyers { #expect(try await first.account(EthereumAddress(publicKey: buyer.publicKey)).balance == .tokens(160)) }

        // A second purchase of the same licence is refused whichever ledger takes it.
        let again = LedgerAction.purchase(listing: listing.id, price: listing.price, termsHash: listing.termsHash, buyerKey: f.buyerKey.publicKey.bytes)
        await #expect(throws: LedgerError(.invalidState, "")) {
            try await first.submit(try await Self.signed(again, by: buyers[1], on: first, domain: domain))
        }

        // The audit replays one log; tokens are conserved; the checkpoint either ledger signed extends the earlier one.
        let report = try await LedgerAudit.verify(
            database: firstDatabase, verifier: try SignedNote.Verifier(first.verifierKey), logger: TestDatabases.logger)
        #expect(report.entries == sizeBefore + 20)
        let state = try await second.completeState()
        #expect(state.accounts.values.reduce(TokenAmount.zero) { $0 + $1.balance } + state.escrowed == state.governance.supply)
        let verifier = try SignedNote.Verifier(first.verifierKey)
        let old = try Checkpoint(text: try SignedNote.open(headBefore, verifiers: [verifier]).text)
        let new = try Checkpoint(text: try SignedNote.open(try await first.head(), verifiers: [verifier]).text)
        #expect(new.size == sizeBefore + 20)
        let proof = try await second.consistencyProof(from: old.size, to: new.size)
        #expect(MerkleTree.verifyConsistency(oldSize: Int(old.size), newSize: Int(new.size), oldRoot: old.rootHash, newRoot: new.rootHash, proof: proof))
        await firstDatabase.close()
        await secondDatabase.close()
    }

    @Test("a ledger stored before its counters and lookups were kept is brought up to date when opened", arguments: [Backend.sqlite])
    func upgrade(backend: Backend) async throws {
        let location = try await TestDatabases.freshLocation(backend)
        var f = try LedgerFixture()
        let (database, ledger) = try await Self.open(location, f)
        for account in [f.alice, f.bob] {
            try await ledger.submit(try await Self.signed(.faucet(amount: .tokens(500)), by: account.key, on: ledger, domain: f.parameters.domain))
        }
        try await ledger.submit(try await Self.signed(.mint(try f.mintRequest()), by: f.alice.key, on: ledger, domain: f.parameters.domain))
        f.state = try await ledger.completeState()
        try await ledger.submit(try await Self.signed(f.purchase(), by: f.bob.key, on: ledger, domain: f.parameters.domain))
        // As an earlier version left it: no counters in the governance row, no lookups.
        let row = try #require(try await database.query("SELECT value FROM ledger_state WHERE kind = 'governance'", logger: TestDatabases.logger).first)
        var members = try #require(try JSONSerialization.jsonObject(with: Data(try row.decode("value", as: String.self).utf8)) as? [String: Any])
        for key in ["listingCount", "purchaseCount", "escrowed"] { #expect(members.removeValue(forKey: key) != nil) }
        let old = String(decoding: try JSONSerialization.data(withJSONObject: members, options: [.sortedKeys]), as: UTF8.self)
        try await database.execute("UPDATE ledger_state SET value = \(old) WHERE kind = 'governance'", logger: TestDatabases.logger)
        try await database.execute("UPDATE ledger_state SET lookup = NULL", logger: TestDatabases.logger)
        #expect(try await ledger.governance().lacksCounters)
        await database.close()

        let (reopenedDatabase, reopened) = try await Self.open(location, f)
        let upgraded = try await reopened.governance()
        #expect(!upgraded.lacksCounters && upgraded.listingCount == 1 && upgraded.purchaseCount == 1 && upgraded.escrowed == .tokens(100))
        #expect(try await reopened.listing(manifestCID: "bafymanifest1")?.id == 1)
        // The lookups work again: the same licence is refused, the same manifest is not listed twice.
        await #expect(throws: LedgerError(.invalidState, "")) {
            try await reopened.submit(try await Self.signed(f.purchase(), by: f.bob.key, on: reopened, domain: f.parameters.domain))
        }
        await #expect(throws: LedgerError(.invalidState, "")) {
            try await reopened.submit(try await Self.signed(.mint(try f.mintRequest()), by: f.alice.key, on: reopened, domain: f.parameters.domain))
        }
        _ = try await LedgerAudit.verify(database: reopenedDatabase, verifier: try SignedNote.Verifier(reopened.verifierKey), logger: TestDatabases.logger)
        await reopenedDatabase.close()
    }

    @Test("a working set refuses to guess: an intent that needs a record it has not loaded names it, and applies once it is loaded")
    func workingSet() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        try f.apply(.deliver(purchase: 1, sealedKey: [1]), by: f.alice)
        let complete = f.state
        var partial = LedgerState.partial(parameters: f.parameters, governance: complete.governance)
        let accept = try f.sign(.accept(purchase: 1), by: f.bob)
        var loads: [LedgerState.RecordKey] = []
        while true {
            var trial = partial
            do {
                _ = try trial.apply(accept, at: f.now)
                partial = trial
                break
            } catch {
                let key = try #require(error.missing, "refused: \(error.message)")
                #expect(!loads.contains(key))
                loads.append(key)
                let purchases = complete.purchases.values.filter { if case .purchase(let id) = key { $0.id == id } else { false } }
                var accounts: [EthereumAddress: AccountRecord] = [:]
                if case .account(let address) = key, let record = complete.accounts[address] { accounts[address] = record }
                partial.load([key], accounts: accounts, purchases: Array(purchases))
            }
        }
        // The buyer, the purchase, then whoever the payout credits: seller and treasury (the same account here: none).
        #expect(loads.first == .account(f.bob.address))
        #expect(loads.contains(.purchase(1)) && loads.contains(.account(f.alice.address)) && loads.contains(.account(f.treasury)))
        #expect(partial.listings.isEmpty && partial.accounts.count == 3)
        var whole = complete
        _ = try whole.apply(accept, at: f.now)
        #expect(partial.purchases[1] == whole.purchases[1] && partial.governance == whole.governance)
        #expect(partial.account(f.alice.address) == whole.account(f.alice.address))
    }
}
