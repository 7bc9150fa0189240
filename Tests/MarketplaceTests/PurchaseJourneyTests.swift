import AsyncHTTPClient
import ContentAddressing
import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import Node
import NIOHTTP1
import Storage
import Testing

/// The buyer's and the arbiter's journeys over real HTTP: one signed purchase, delivery by the node as the seller's
/// operator, the download from a gateway decrypted and checked against the manifest, acceptance, the release at
/// the deadline, and a dispute ruled by the assigned arbiter — with who may do what checked at each step.
@Suite("Marketplace: buying and disputes", .serialized)
struct PurchaseJourneyTests {
    /// A funded, signed-in buyer.
    struct Buyer {
        let key = Secp256k1.PrivateKey.random()
        var keys: AccountKeys { AccountKeys(key) }
        var token = ""
    }

    static func buyer(on node: MarketplaceHarness, tokens: UInt64 = 100) async throws -> Buyer {
        var buyer = Buyer()
        buyer.token = try await node.signIn(buyer.key)
        let faucet = try await node.submit(.faucet(amount: .tokens(tokens)), by: buyer.key, token: buyer.token)
        #expect(faucet.status == 201, "\(String(decoding: faucet.body, as: UTF8.self))")
        return buyer
    }

    /// Buys `listing` at its card's price and terms; returns the purchase id.
    static func purchase(_ listing: UInt64, by buyer: Buyer, on node: MarketplaceHarness) async throws -> UInt64 {
        let page = try await node.call(.GET, "/v1/listings/\(listing)")
        let card = try #require(page.json["listing"] as? [String: Any])
        let units = try #require(card["price_units"] as? String)
        let price = TokenAmount(units: try #require(UInt128(units)))
        let hash = try #require(card["terms_hash"] as? String)
        let termsHash = try #require([UInt8](hexString: hash))
        let reply = try await node.submit(
            .purchase(listing: listing, price: price, termsHash: termsHash, buyerKey: buyer.keys.sealing.publicKey.bytes),
            by: buyer.key, token: buyer.token)
        #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
        let purchased = try #require((reply.json["events"] as? [[String: Any]])?.first { $0["name"] as? String == "Purchased" })
        let purchaseID = try #require((purchased["fields"] as? [String: String])?["purchaseId"])
        return try #require(UInt64(purchaseID))
    }

    @Test("a buyer buys with one signature, pulls the dataset from a gateway, decrypts and verifies it, and accepts", arguments: MarketplaceHarness.Setup.all)
    func buyPullAccept(_ setup: MarketplaceHarness.Setup) async throws {
        try await MarketplaceHarness.run(setup) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            let buyer = try await Self.buyer(on: node)

            // Intents go in only for the token's own account, and a listing is minted only through a publication.
            let foreign = try await node.call(.POST, "/v1/intents", token: seller, bytes: try await node.signed(.faucet(amount: .tokens(1)), by: buyer.key))
            #expect(foreign.status == 403)
            let fakeMint = try await node.submit(.setPrice(listing: listing, price: .tokens(1)), by: buyer.key, token: buyer.token)
            #expect(fakeMint.status == 403 && fakeMint.errorCode == "ledger_refused", "only the owner changes a listing")

            let id = try await Self.purchase(listing, by: buyer, on: node)
            #expect(try await node.balance(buyer.key) == .tokens(75))
            let delivered = try await node.waitForPurchase(id, token: buyer.token, escrow: ["delivered"])
            #expect(delivered.json["licence"] as? String == "active" && delivered.json["acceptance_deadline"] != nil)

            // Only the buyer gets the sealed key; strangers see nothing of the purchase.
            let stranger = try await node.signIn(Secp256k1.PrivateKey.random())
            #expect(try await node.call(.GET, "/v1/purchases/\(id)", token: stranger).status == 403)
            #expect(try await node.call(.GET, "/v1/purchases/\(id)/key", token: stranger).status == 403)
            #expect(try await node.call(.GET, "/v1/purchases/\(id)/key", token: seller).status == 403)
            #expect(try await node.call(.GET, "/v1/purchases/\(id)/key").status == 401)
            let sold = try await node.call(.GET, "/v1/purchases?role=seller", token: seller)
            #expect((sold.json["items"] as? [[String: Any]])?.map { $0["purchase_id"] as? Int } == [Int(id)])

            let key = try await node.call(.GET, "/v1/purchases/\(id)/key", token: buyer.token)
            #expect(key.status == 200, "\(String(decoding: key.body, as: UTF8.self))")
            let rootText = try #require(key.json["content_root"] as? String)
            let root = try CID(rootText)
            let store = try FileBlockStore(directory: try TestDatabases.temporaryDirectory().path)
            let retrieval = DatasetRetrieval(
                client: TrustlessGatewayClient(configuration: .init(gateways: [node.url]), http: .shared, logger: MarketplaceHarness.logger),
                store: store)
            let manifestText = try #require(key.json["manifest_cid"] as? String)
            let manifest = try await retrieval.manifest(try CID(manifestText))
            let fetched = try await retrieval.fetch(contentRoot: root)
            #expect(fetched.files == manifest.files.count && fetched.resumed == 0)
            // A second pull finds every file already here.
            let again = try await retrieval.fetch(contentRoot: root)
            #expect(again.resumed == manifest.files.count)
            let destination = try TestDatabases.temporaryDirectory().path + "/pulled"
            defer { try? FileManager.default.removeItem(atPath: destination) }
            let sealedText = try #require(key.json["sealed_key"] as? String)
            let sealed = try #require([UInt8](hexString: sealedText))
            let written = try retrieval.decrypt(contentRoot: root, manifest: manifest, sealedKey: sealed, buyer: buyer.keys.sealing, to: destination)
            #expect(written == manifest.files.count)
            for file in manifest.files {
                #expect(FileManager.default.contentsEqual(atPath: dataset + "/" + file.path, andPath: destination + "/" + file.path), "\(file.path)")
            }
            // The key does not open for another account's sealing key.
            #expect(throws: StorageError.self) {
                _ = try retrieval.decrypt(contentRoot: root, manifest: manifest, sealedKey: sealed, buyer: AccountKeys(.random()).sealing, to: destination + "2")
            }

            let accepted = try await node.submit(.accept(purchase: id), by: buyer.key, token: buyer.token)
            #expect(accepted.status == 201)
            #expect(try await node.balance(contributor) == (try TokenAmount(tokens: "24.375")))
            let twice = try await node.submit(.accept(purchase: id), by: buyer.key, token: buyer.token)
            #expect(twice.status == 409)

            // The owner's price change and pause reach search.
            #expect(try await node.submit(.setPrice(listing: listing, price: .tokens(40)), by: contributor, token: seller).status == 201)
            let cheap = try await node.call(.GET, "/v1/listings?max_price=30")
            #expect((cheap.json["items"] as? [Any])?.isEmpty == true)
            let card = try await node.call(.GET, "/v1/listings?max_price=40")
            #expect((card.json["items"] as? [[String: Any]])?.first?["price"] as? String == "40")
            #expect(try await node.submit(.setPaused(listing: listing, paused: true), by: contributor, token: seller).status == 201)
            #expect((try await node.call(.GET, "/v1/listings").json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a dispute goes to the assigned arbiter with both sides' evidence; a refund revokes the licence and its key", arguments: MarketplaceHarness.Setup.all)
    func disputeRuled(_ setup: MarketplaceHarness.Setup) async throws {
        try await MarketplaceHarness.run(setup) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, seed: 12)
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            let buyer = try await Self.buyer(on: node)
            let id = try await Self.purchase(listing, by: buyer, on: node)
            _ = try await node.waitForPurchase(id, token: buyer.token, escrow: ["delivered"])

            #expect(try await node.call(.POST, "/v1/evidence", token: buyer.token, json: ["description": "no name"]).status == 400)
            let evidence = try await node.call(.POST, "/v1/evidence", token: buyer.token, json: [
                "name": "Boxes are off", "description": "Half of the boxes in images 3 to 9 miss their objects.",
            ])
            #expect(evidence.status == 201)
            let cid = try #require(evidence.json["cid"] as? String)
            #expect(try await node.call(.GET, "/ipfs/\(cid)?format=raw").status == 200)
            #expect(try await node.submit(.openDispute(purchase: id, evidenceCID: cid), by: buyer.key, token: buyer.token).status == 201)
            #expect(try await node.balance(buyer.key) == .tokens(70))  // 100 − 25 price − 5 arbitration fee

            // The arbiter's queue; nobody else has one.
            let stranger = Secp256k1.PrivateKey.random()
            let strangerToken = try await node.signIn(stranger)
            #expect(try await node.call(.GET, "/v1/disputes", token: strangerToken).status == 403)
            let arbiterToken = try await node.signIn(node.arbiter)
            let queue = try await node.call(.GET, "/v1/disputes", token: arbiterToken)
            let assigned = try #require((queue.json["items"] as? [[String: Any]])?.first)
            #expect(assigned["purchase_id"] as? Int == Int(id))
            #expect(((assigned["dispute"] as? [String: Any])?["evidence"] as? [[String: Any]])?.first?["cid"] as? String == cid)

            let answer = try await node.call(.POST, "/v1/evidence", token: seller, json: ["name": "Boxes are right", "description": "See the report."])
            let answerCID = try #require(answer.json["cid"] as? String)
            #expect(try await node.submit(.submitEvidence(purchase: id, evidenceCID: answerCID), by: contributor, token: seller).status == 201)

            // Only the assigned arbiter rules.
            let refund = try BasisPoints(10_000)
            let usurped = try await node.submit(.rule(purchase: id, buyerShare: refund), by: stranger, token: strangerToken)
            #expect(usurped.status == 403)
            #expect(try await node.submit(.rule(purchase: id, buyerShare: refund), by: node.arbiter, token: arbiterToken).status == 201)

            let ruled = try await node.call(.GET, "/v1/purchases/\(id)", token: buyer.token)
            #expect(ruled.json["escrow"] as? String == "refunded" && ruled.json["licence"] as? String == "revoked")
            #expect(try await node.balance(buyer.key) == .tokens(95))
            #expect(try await node.balance(node.arbiter) == .tokens(5))
            #expect(try await node.balance(contributor) == .zero)
            #expect(try await node.call(.GET, "/v1/purchases/\(id)/key", token: buyer.token).status == 403)
            // The listing's history shows the whole dispute.
            let page = try await node.call(.GET, "/v1/listings/\(listing)")
            let names = ((page.json["provenance"] as? [String: Any])?["events"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(["Purchased", "Delivered", "DisputeOpened", "Evidence", "Ruling", "EscrowRefunded", "LicenceRevoked"].allSatisfy(names.contains), "\(names)")
        }
    }

    @Test("an escrow the buyer neither accepts nor disputes is released to the seller by a job at the deadline", arguments: MarketplaceHarness.Setup.all)
    func releasedAtDeadline(_ setup: MarketplaceHarness.Setup) async throws {
        try await MarketplaceHarness.run(setup, acceptancePeriod: 1, ownChain: true) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, seed: 13)
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            let buyer = try await Self.buyer(on: node)
            let id = try await Self.purchase(listing, by: buyer, on: node)
            _ = try await node.waitForPurchase(id, token: buyer.token, escrow: ["delivered", "released"])
            try await node.passTime(3)
            let released = try await node.waitForPurchase(id, token: buyer.token, escrow: ["released"])
            #expect(released.json["escrow"] as? String == "released")
            #expect(try await node.balance(contributor) == (try TokenAmount(tokens: "24.375")))
            let events = try await node.market.ledger.events(listing: listing, account: nil, after: nil, limit: 100)
            #expect(events.contains { $0.event.name == "EscrowReleased" })
        }
    }

    @Test("on a chain, a reorganisation that drops a purchase takes it out of the marketplace's projection as well")
    func reorganisationDropsAPurchase() async throws {
        try await MarketplaceHarness.run(.init(database: .sqlite, ledger: .evm), ownChain: true) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, seed: 16)
            // The seller lets nobody deliver for it, so nothing else happens on chain after the purchase.
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            #expect(try await node.submit(.setOperator(node.market.node.address, active: false), by: contributor, token: seller).status == 201)
            let buyer = try await Self.buyer(on: node)
            let rpc = TestChain.rpc(try #require(node.chainURL))
            let snapshot = try await rpc.client.call("evm_snapshot")
            let id = try await Self.purchase(listing, by: buyer, on: node)
            let bought = try await node.call(.GET, "/v1/purchases?role=buyer", token: buyer.token)
            #expect((bought.json["items"] as? [[String: Any]])?.count == 1)

            // The chain forgets the purchase's block and grows another branch past it.
            _ = try await rpc.client.call("evm_revert", [snapshot])
            for _ in 0..<3 { _ = try await rpc.client.call("evm_mine") }
            try await node.market.reactions.catchUp()
            #expect(try await node.market.ledger.purchase(id) == nil)
            let after = try await node.call(.GET, "/v1/purchases?role=buyer", token: buyer.token)
            #expect((after.json["items"] as? [[String: Any]])?.isEmpty == true, "\(after.text)")
            let notices = try await node.market.ledger.events(after: nil, limit: 1_000).filter { $0.event.name == "Reorganised" }
            #expect(notices.count == 1 && notices[0].event.fields["purchases"] == String(id))
        }
    }

    @Test("on a chain, an intent the node's account cannot pay the gas for is kept (202) and relayed once the account is funded")
    func relayedWhenFunded() async throws {
        try await MarketplaceHarness.run(.postgres, ledger: .evm) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, seed: 15)
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            let chain = try #require(node.market.ledger as? EVMLedger)
            // The operator's account runs dry: everything it holds goes elsewhere.
            let relayer = chain.sender
            let rpc = relayer.rpc
            let balance = try await rpc.balance(of: relayer.account)
            let maxFee = 2 * (try await rpc.block(.latest)?.baseFeePerGas ?? 0) + 1
            let emptying = EIP1559Transaction(
                chainID: relayer.chainID, nonce: try await rpc.transactionCount(of: relayer.account, at: .pending), maxPriorityFeePerGas: 1,
                maxFeePerGas: maxFee, gasLimit: 21_000, to: node.governanceAddress, value: balance - 21_000 * maxFee
            ).signed(by: node.market.identity.accountKey)
            let hash = try await rpc.sendRawTransaction(emptying.raw)
            while try await rpc.transactionReceipt(hash) == nil { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try await rpc.balance(of: relayer.account) < 21_000 * maxFee)
            let kept = try await node.submit(.setPrice(listing: listing, price: .tokens(30)), by: contributor, token: seller)
            #expect(kept.status == 202 && kept.json["queued"] as? Bool == true, "\(kept.text)")
            #expect(try await chain.listing(listing)?.price == .tokens(25))
            // Funded again, the node relays the kept intent by itself.
            let funder = try await TestChain.sender(node.governance, url: try #require(node.chainURL), nonces: InMemoryNonceReservations())
            _ = try await funder.send(to: relayer.account, data: [], value: 10 * TestChain.ether, what: "funding the node's account")
            var price: TokenAmount?
            for _ in 0..<300 {
                try await chain.synchronise()
                price = try await chain.listing(listing)?.price
                if price == .tokens(30) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(price == .tokens(30))
        }
    }

    @Test("a purchase the seller does not deliver in time is reclaimed by the buyer, in full, and not before", arguments: MarketplaceHarness.Setup.all)
    func reclaimedWhenUndelivered(_ setup: MarketplaceHarness.Setup) async throws {
        try await MarketplaceHarness.run(setup, deliveryPeriod: 2, ownChain: true) { node in
            let contributor = Secp256k1.PrivateKey.random()
            let seller = try await node.signIn(contributor)
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset, seed: 14)
            let listing = try await node.publishListing(dataset, by: contributor, token: seller)
            // The seller withdraws the node as operator: nobody delivers.
            let withdrawn = try await node.submit(.setOperator(node.market.node.address, active: false), by: contributor, token: seller)
            #expect(withdrawn.status == 201, "\(withdrawn.text)")
            let buyer = try await Self.buyer(on: node)
            let id = try await Self.purchase(listing, by: buyer, on: node)
            let early = try await node.submit(.reclaim(purchase: id), by: buyer.key, token: buyer.token)
            #expect(early.status == 409, "\(early.text)")  // too early: the delivery period has not passed
            try await node.passTime(4)
            let reclaimed = try await node.submit(.reclaim(purchase: id), by: buyer.key, token: buyer.token)
            #expect(reclaimed.status == 201, "\(reclaimed.text)")
            let refunded = try await node.waitForPurchase(id, token: buyer.token, escrow: ["refunded"])
            #expect(refunded.json["licence"] as? String == "revoked")
            #expect(try await node.balance(buyer.key) == .tokens(100))
        }
    }
}
