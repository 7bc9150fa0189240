import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Persistence
import Testing

/// The EVM ledger backend end to end on the development chain: intents relayed, the chain's events indexed into the
/// database on SQLite and PostgreSQL, records folded from them as the embedded ledger keeps them.
@Suite("EVM ledger")
struct EVMLedgerTests {
    /// A deployment with an arbiter and a QA key, and a ledger over it on a fresh database.
    struct Setup {
        let url: String
        let ledger: EVMLedger
        let database: any Database
        let location: DatabaseLocation
        let ownerKey: Secp256k1.PrivateKey
        let qaKey: Secp256k1.PrivateKey
        let arbiterKey: Secp256k1.PrivateKey

        /// On the shared chain, or on `chain`.
        static func make(_ backend: Backend, on chain: PrivateTestChain? = nil, confirmations: UInt64 = 1) async throws -> Setup {
            let url = try chain?.url ?? TestChain.sharedURL()
            let ownerKey = try await TestChain.fundedKey(1_000 * TestChain.ether, on: chain)
            let qaKey = Secp256k1.PrivateKey.random(), arbiterKey = try await TestChain.fundedKey(TestChain.ether, on: chain)
            let owner = try await TestChain.sender(ownerKey, url: url, confirmations: confirmations)
            var options = ContractDeployer.Options(development: true)
            options.qaSigners = [EthereumAddress(publicKey: qaKey.publicKey)]
            options.arbiters = [EthereumAddress(publicKey: arbiterKey.publicKey)]
            let addresses = try await ContractDeployer(sender: owner).deploy(options)
            let location = try await TestDatabases.freshLocation(backend)
            let database = try await open(location)
            // The owner relays: the node's account in a real deployment.
            let relayer = try await TestChain.sender(ownerKey, url: url, confirmations: confirmations,
                                                     nonces: DatabaseNonceReservations(database: database, logger: TestDatabases.logger))
            let ledger = try await EVMLedger.open(sender: relayer, addresses: addresses, database: database, logger: TestDatabases.logger)
            return Setup(url: url, ledger: ledger, database: database, location: location, ownerKey: ownerKey, qaKey: qaKey, arbiterKey: arbiterKey)
        }

        static func open(_ location: DatabaseLocation) async throws -> any Database {
            let database = try await DatabaseOpener.open(location, logger: TestDatabases.logger)
            _ = try await Migrator(migrations: EVMLedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
            return database
        }

        /// Signs `action` as `key` with its next nonce at the executing contract and submits it.
        @discardableResult
        func submit(_ action: LedgerAction, by key: Secp256k1.PrivateKey) async throws -> LedgerReceipt {
            let account = EthereumAddress(publicKey: key.publicKey)
            let nonce = try await ledger.nextNonce(of: account, for: action.typeName)
            let intent = Intent(action, account: account, nonce: nonce, deadline: UInt64(Date().timeIntervalSince1970) + 3_600)
            return try await ledger.submit([try intent.signed(by: key, domain: ledger.domain(for: action.typeName))])[0].get()
        }

        /// Tokens from the development token's owner, and an allowance for the Escrow sent from the buyer's wallet.
        func fundBuyer(_ key: Secp256k1.PrivateKey, tokens: UInt64) async throws {
            let address = EthereumAddress(publicKey: key.publicKey)
            let token = ContractArtifact.of(.devToken).abi
            _ = try await ledger.sender.send(to: ledger.addresses.paymentToken,
                                             data: try token.function("mint").encodeCall([.address(address), .uint(TokenAmount.tokens(tokens).units)]), what: "mint")
            let wallet = try await TestChain.sender(key, url: url, nonces: InMemoryNonceReservations())
            _ = try await wallet.send(to: ledger.addresses.paymentToken,
                                      data: try token.function("approve").encodeCall([.address(ledger.addresses.escrow), .uint(TokenAmount.tokens(tokens).units)]),
                                      what: "approve")
        }

        func mintRequest(_ manifest: String, price: UInt64 = 100) throws -> LedgerAction.MintRequest {
            let attestation = try QAAttestation.sign(manifestCID: manifest, reportCID: "bafyreport-\(manifest)",
                                                     reportHash: SHA256.hash(Array(manifest.utf8)), score: 91, passed: true, key: qaKey)
            return .init(contentRoot: "bafyroot-\(manifest)", attestation: attestation, terms: try LicenceTerms.template("research"),
                         price: .tokens(price), royalty: try BasisPoints(500))
        }
    }

    @Test("publish, buy, deliver, dispute with evidence, a split ruling: records and the event feed as the embedded ledger keeps them", arguments: Backend.allCases)
    func disputeJourney(backend: Backend) async throws {
        let s = try await Setup.make(backend)
        let alice = Secp256k1.PrivateKey.random(), bob = try await TestChain.fundedKey(TestChain.ether)
        let aliceAddress = EthereumAddress(publicKey: alice.publicKey), bobAddress = EthereumAddress(publicKey: bob.publicKey)
        #expect(s.ledger.parameters.devMode && s.ledger.parameters.chainID == 31337)
        #expect(s.ledger.domain(for: "Purchase").verifyingContract == s.ledger.addresses.escrow)
        #expect(s.ledger.domain(for: "Mint").verifyingContract == s.ledger.addresses.registry)

        let minted = try await s.submit(.mint(try s.mintRequest("bafymanifest-journey")), by: alice)
        #expect(minted.events.map(\.name) == ["ListingMinted"])
        let listing = try #require(try await s.ledger.listing(1))
        #expect(listing.creator == aliceAddress && listing.owner == aliceAddress && listing.manifestCID == "bafymanifest-journey")
        #expect(listing.terms == (try LicenceTerms.template("research")) && listing.termsHash == listing.terms.hash)
        #expect(listing.attestationKey == EthereumAddress(publicKey: s.qaKey.publicKey).bytes && listing.attestationSignature.count == 65)
        #expect(try await s.ledger.listing(manifestCID: "bafymanifest-journey")?.id == 1)

        try await s.fundBuyer(bob, tokens: 500)
        let bought = try await s.submit(.purchase(listing: 1, price: .tokens(100), termsHash: listing.termsHash, buyerKey: [UInt8](repeating: 9, count: 32)), by: bob)
        #expect(bought.events.map { "\($0.contract).\($0.name)" } == ["Escrow.Purchased", "Licences.LicenceIssued"])
        var purchase = try #require(try await s.ledger.purchase(1))
        #expect(purchase.buyer == bobAddress && purchase.seller == aliceAddress && purchase.escrow == .awaitingDelivery)
        #expect(purchase.termsHash == listing.termsHash && purchase.feeBps.value == 250)
        #expect(listing.terms.durationDays > 0 && purchase.licenceExpiresAt == purchase.purchasedAt + listing.terms.durationDays * 86_400)

        // The seller's delivery, signed by her key and relayed; then the buyer disputes with evidence.
        _ = try await s.ledger.submit([.deliver(purchase: 1, sealedKey: [5, 6, 7])], signedBy: alice, validFor: 600)[0].get()
        try await s.submit(.openDispute(purchase: 1, evidenceCID: "bafyevidence-buyer"), by: bob)
        try await s.submit(.submitEvidence(purchase: 1, evidenceCID: "bafyevidence-seller"), by: alice)
        purchase = try #require(try await s.ledger.purchase(1))
        #expect(purchase.escrow == .disputed && purchase.sealedKey == [5, 6, 7])
        #expect(purchase.dispute?.arbiter == EthereumAddress(publicKey: s.arbiterKey.publicKey))
        #expect(purchase.dispute?.evidence.map(\.cid) == ["bafyevidence-buyer", "bafyevidence-seller"])

        // A stranger may not rule; the arbiter rules 40 % to the buyer.
        await #expect(throws: LedgerError(.unauthorised, "")) { try await s.submit(.rule(purchase: 1, buyerShare: try BasisPoints(4_000)), by: bob) }
        let ruled = try await s.submit(.rule(purchase: 1, buyerShare: try BasisPoints(4_000)), by: s.arbiterKey)
        #expect(ruled.events.map(\.name) == ["Ruling", "EscrowSplit"])
        #expect(ruled.events[0].fields["listingId"] == "1" && ruled.events[0].fields["fee"] == s.ledger.parameters.arbitrationFee.description)
        purchase = try #require(try await s.ledger.purchase(1))
        #expect(purchase.escrow == .split && purchase.dispute?.buyerShare?.value == 4_000)

        // The feed: every event in order, by listing and by account; balances from the token.
        let feed = try await s.ledger.events(after: nil, limit: 100)
        #expect(feed.map(\.event.name) == ["QASignerSet", "ArbiterSet", "ListingMinted", "Purchased", "LicenceIssued", "Delivered",
                                           "DisputeOpened", "Evidence", "Evidence", "Ruling", "EscrowSplit"])
        #expect(feed.map(\.index) == feed.map(\.index).sorted())
        let aboutListing = try await s.ledger.events(listing: 1, account: nil, after: nil, limit: 100)
        #expect(aboutListing.count == feed.filter { $0.event.listingID == 1 }.count && !aboutListing.isEmpty)
        let naming = try await s.ledger.events(listing: nil, account: aliceAddress, after: nil, limit: 100)
        #expect(naming.contains { $0.event.name == "ListingMinted" } && !naming.contains { $0.event.name == "ArbiterSet" })
        let bobAccount = try await s.ledger.account(bobAddress)
        #expect(bobAccount.balance == TokenAmount.tokens(400) + TokenAmount.tokens(100).share(try BasisPoints(4_000)) - s.ledger.parameters.arbitrationFee)
        let governance = try await s.ledger.governance()
        #expect(governance.listingCount == 1 && governance.purchaseCount == 1 && governance.disputesOpened == 1 && governance.escrowed == .zero)
        #expect(governance.qaKeys.contains("0x" + EthereumAddress(publicKey: s.qaKey.publicKey).bytes.hexString))
        await s.database.close()
    }

    @Test("two ledgers on one PostgreSQL database relaying from one account at once: no nonce twice, none skipped, every event indexed once")
    func twoRelayingProcesses() async throws {
        let s = try await Setup.make(.postgres)
        // A second process: its own database pool, sender and caches, the same node account and database.
        let database = try await Setup.open(s.location)
        do {
            let relayer = try await TestChain.sender(s.ownerKey, url: s.url, nonces: DatabaseNonceReservations(database: database, logger: TestDatabases.logger))
            let second = try await EVMLedger.open(sender: relayer, addresses: s.ledger.addresses, database: database, logger: TestDatabases.logger)
            let rpc = s.ledger.sender.rpc
            let before = try await rpc.transactionCount(of: relayer.account, at: .latest)
            let domain = s.ledger.domain(for: "SetOperator")
            let operatorAddress = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<12 {
                    let ledger: EVMLedger = n % 2 == 0 ? s.ledger : second
                    group.addTask {
                        let key = Secp256k1.PrivateKey.random()
                        let intent = Intent(.setOperator(operatorAddress, active: true), account: EthereumAddress(publicKey: key.publicKey), nonce: 0,
                                            deadline: UInt64(Date().timeIntervalSince1970) + 3_600)
                        _ = try await ledger.submit([try intent.signed(by: key, domain: domain)])[0].get()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await rpc.transactionCount(of: relayer.account, at: .latest) == before + 12)
            for ledger in [s.ledger, second] {
                try await ledger.synchronise()
                let approvals = try await ledger.events(after: nil, limit: 1_000).filter { $0.event.name == "ApprovalForAll" }
                #expect(approvals.count == 12 && Set(approvals.map(\.index)).count == 12)
            }
        } catch {
            // Closed before they go: a pool dropped open stops the whole test process.
            await database.close()
            await s.database.close()
            throw error
        }
        await database.close()
        await s.database.close()
    }

    @Test("a ledger restarted on the same database resumes at its cursor: no event twice, none lost", arguments: [Backend.sqlite])
    func restart(backend: Backend) async throws {
        let s = try await Setup.make(backend)
        let alice = Secp256k1.PrivateKey.random()
        try await s.submit(.mint(try s.mintRequest("bafymanifest-restart-1")), by: alice)
        let before = try await s.ledger.events(after: nil, limit: 100)
        await s.database.close()

        // Another process mints meanwhile, straight to the contract; the restarted ledger indexes it once.
        let other = try await TestChain.sender(s.ownerKey, url: s.url, nonces: InMemoryNonceReservations())
        let (_, data) = try IntentCalls.direct(.mint(try s.mintRequest("bafymanifest-restart-2")))
        _ = try await other.send(to: s.ledger.addresses.registry, data: data, what: "mint")
        let database = try await Setup.open(s.location)
        let relayer = try await TestChain.sender(s.ownerKey, url: s.url, nonces: DatabaseNonceReservations(database: database, logger: TestDatabases.logger))
        let reopened = try await EVMLedger.open(sender: relayer, addresses: s.ledger.addresses, database: database, logger: TestDatabases.logger)
        try await reopened.synchronise()
        let after = try await reopened.events(after: nil, limit: 100)
        #expect(after.count == before.count + 1 && Array(after.prefix(before.count)) == before)
        #expect(try await reopened.listing(2)?.manifestCID == "bafymanifest-restart-2")
        await database.close()
    }

    @Test("a reorganisation that replaces a block undoes its records and events, reads the new branch, and says so in the feed")
    func reorganisation() async throws {
        let chain = try PrivateTestChain()
        let s = try await Setup.make(.sqlite, on: chain)
        let alice = Secp256k1.PrivateKey.random()
        try await s.submit(.mint(try s.mintRequest("bafymanifest-kept")), by: alice)
        let snapshot = try await chain.development("evm_snapshot")
        try await s.submit(.mint(try s.mintRequest("bafymanifest-dropped")), by: alice)
        #expect(try await s.ledger.listing(2)?.manifestCID == "bafymanifest-dropped")
        let eventsBefore = try await s.ledger.events(after: nil, limit: 100)

        // The chain forgets the second mint; a competing branch mints another dataset as listing 2 and grows longer.
        try await chain.development("evm_revert", [snapshot])
        let carol = try await TestChain.sender(chain.developmentKey, url: chain.url, nonces: InMemoryNonceReservations())
        let (_, data) = try IntentCalls.direct(.mint(try s.mintRequest("bafymanifest-branch")))
        _ = try await carol.send(to: s.ledger.addresses.registry, data: data, what: "a competing mint")
        for _ in 0..<3 { try await chain.development("evm_mine") }
        try await s.ledger.synchronise()

        let listing = try #require(try await s.ledger.listing(2))
        #expect(listing.manifestCID == "bafymanifest-branch" && listing.creator == carol.account)
        #expect(try await s.ledger.listing(manifestCID: "bafymanifest-dropped") == nil)
        let events = try await s.ledger.events(after: nil, limit: 100)
        #expect(!events.contains { $0.event.fields["manifestCid"] == "bafymanifest-dropped" })
        let notice = try #require(events.first { $0.event.name == "Reorganised" })
        #expect(notice.event.fields["listings"] == "2")
        #expect(notice.index > eventsBefore.last!.index, "the feed's numbers only grow: a reader past the old branch still sees the notice")
        #expect(events.last?.event.fields["manifestCid"] == "bafymanifest-branch")
        #expect(try await s.ledger.governance().listingCount == 2)
        await s.database.close()
    }

    @Test("a deployment file for another chain is refused at start, naming both chain ids")
    func wrongChain() async throws {
        let url = try TestChain.sharedURL()
        let sender = try await TestChain.sender(Secp256k1.PrivateKey.random(), url: url)
        let someone = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        let addresses = ContractAddresses(chainID: 1, paymentToken: someone, governance: someone, registry: someone, escrow: someone,
                                          owner: someone, treasury: someone, developmentToken: false, deploymentBlock: 0)
        let database = try await Setup.open(try await TestDatabases.freshLocation(.sqlite))
        do {
            _ = try await EVMLedger.open(sender: sender, addresses: addresses, database: database, logger: TestDatabases.logger)
            Issue.record("a ledger opened on the wrong chain")
        } catch let error as EVMError {
            #expect(error.code == .configuration && error.message.contains("chain 31337") && error.message.contains("chain 1 "))
        }
        await database.close()
    }
}
