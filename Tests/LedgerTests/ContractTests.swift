import Ledger
import LightboxCrypto
import Testing

/// The contracts' semantics: each flow with its exact amounts, and each refusal with its own error, leaving the
/// state as it was.
@Suite("Contracts")
struct ContractTests {
    @Test("purchase, delivery, acceptance: the seller is paid the price less the platform fee, the buyer holds an active licence")
    func purchaseFlow() throws {
        var f = try LedgerFixture()
        try f.listed()
        let minted = try #require(f.state.listings[1])
        #expect(minted.owner == f.alice.address && minted.score == 92 && minted.termsHash == LicenceTerms.templates["commercial"]!.hash)
        let events = try f.apply(f.purchase(), by: f.bob)
        #expect(events.map(\.name) == ["Purchased", "LicenceIssued"])
        #expect(f.balance(f.bob) == .tokens(900))
        #expect(f.state.escrowed == .tokens(100))
        try f.apply(.deliver(purchase: 1, sealedKey: [1, 2, 3]), by: f.alice)
        let accepted = try f.apply(.accept(purchase: 1), by: f.bob)
        #expect(accepted.map(\.name) == ["Accepted", "EscrowReleased"])
        // 2.5 % of 100 tokens to the treasury, 97.5 to the seller.
        #expect(f.balance(f.alice) == (try TokenAmount(tokens: "1097.5")))
        #expect(f.state.balance(of: f.treasury) == (try TokenAmount(tokens: "2.5")))
        #expect(f.state.escrowed == .zero)
        let purchase = try #require(f.state.purchases[1])
        #expect(purchase.escrow == .released && purchase.licenceStatus(at: f.now) == .active)
        // Nothing is paid twice.
        #expect(try f.refusal(.accept(purchase: 1), by: f.bob) == .invalidState)
        #expect(try f.refusal(.release(purchase: 1), by: f.dave) == .invalidState)
    }

    @Test("an operator the seller approved delivers for it; a stranger, or an operator once revoked, cannot")
    func operatorDelivery() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        #expect(try f.refusal(.deliver(purchase: 1, sealedKey: [1]), by: f.dave) == .unauthorised)
        #expect(try f.refusal(.setOperator(f.alice.address, active: true), by: f.alice) == .invalidArgument)
        let approval = try f.apply(.setOperator(f.dave.address, active: true), by: f.alice)
        #expect(approval.map(\.name) == ["ApprovalForAll"] && approval[0].fields["operator"] == "\(f.dave.address)")
        #expect(f.state.account(f.alice.address).approves(f.dave.address))
        try f.apply(.deliver(purchase: 1, sealedKey: [1]), by: f.dave)
        #expect(f.state.purchases[1]?.escrow == .delivered)
        try f.apply(.setOperator(f.dave.address, active: false), by: f.alice)
        try f.apply(f.purchase(), by: f.carol)
        #expect(try f.refusal(.deliver(purchase: 2, sealedKey: [1]), by: f.dave) == .unauthorised)
    }

    @Test("minting needs a valid, passing attestation from an authorised QA key")
    func mintGate() throws {
        var f = try LedgerFixture()
        try f.apply(.faucet(amount: .tokens(10)), by: f.alice)
        var request = try f.mintRequest()
        request.attestation = f.attestation(passed: false, score: 40)
        #expect(try f.refusal(.mint(request), by: f.alice) == .invalidAttestation)
        request.attestation = f.attestation(key: .random())
        #expect(try f.refusal(.mint(request), by: f.alice) == .invalidAttestation)
        request.attestation = f.attestation()
        request.attestation.score = 99  // tampered after signing
        #expect(try f.refusal(.mint(request), by: f.alice) == .invalidAttestation)
        request.attestation = f.attestation()
        request.terms.spdx = "CC-BY-4.0"  // claims an SPDX licence with other flags
        #expect(try f.refusal(.mint(request), by: f.alice) == .invalidArgument)
        request.terms = try LicenceTerms.template("CDLA-Permissive-2.0")
        try f.apply(.mint(request), by: f.alice)
        #expect(try f.refusal(.mint(request), by: f.bob) == .invalidState)  // the same dataset again
        // Governance can withdraw the key; its attestations then stop counting.
        let signer = EthereumAddress(publicKey: f.qaKey.publicKey)
        #expect(try f.refusal(.setQASigner(signer, active: false), by: f.alice) == .unauthorised)
        #expect(try f.refusal(.setQASigner(.zero, active: true), by: f.governance) == .invalidArgument)
        try f.apply(.setQASigner(signer, active: false), by: f.governance)
        #expect(try f.refusal(.mint(try f.mintRequest(manifest: "other")), by: f.alice) == .invalidAttestation)
    }

    @Test("bad purchases are refused apart and change nothing")
    func purchaseRefusals() throws {
        var f = try LedgerFixture()
        try f.listed()
        #expect(try f.refusal(.purchase(listing: 9, price: .tokens(100), termsHash: f.state.listings[1]!.termsHash, buyerKey: f.buyerKey.publicKey.bytes), by: f.bob) == .unknown)
        #expect(try f.refusal(.purchase(listing: 1, price: .tokens(99), termsHash: f.state.listings[1]!.termsHash, buyerKey: f.buyerKey.publicKey.bytes), by: f.bob) == .invalidState)
        #expect(try f.refusal(.purchase(listing: 1, price: .tokens(100), termsHash: [UInt8](repeating: 1, count: 32), buyerKey: f.buyerKey.publicKey.bytes), by: f.bob) == .invalidState)
        #expect(try f.refusal(f.purchase(), by: f.alice) == .invalidArgument)  // the owner
        try f.apply(.transfer(to: f.carol.address, amount: .tokens(950)), by: f.dave)
        #expect(try f.refusal(f.purchase(), by: f.dave) == .insufficientFunds)
        try f.apply(f.purchase(), by: f.bob)
        #expect(try f.refusal(f.purchase(), by: f.bob) == .invalidState)  // already licensed
        try f.apply(.setPaused(listing: 1, paused: true), by: f.alice)
        #expect(try f.refusal(f.purchase(), by: f.carol) == .invalidState)
        #expect(try f.refusal(.setPrice(listing: 1, price: .tokens(1)), by: f.bob) == .unauthorised)
        try f.apply(.delist(listing: 1), by: f.alice)
        #expect(try f.refusal(.setPaused(listing: 1, paused: false), by: f.alice) == .invalidState)
    }

    @Test("deadlines: release only after the acceptance deadline, by anyone; reclaim only after the delivery deadline")
    func deadlines() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        #expect(try f.refusal(.reclaim(purchase: 1), by: f.bob) == .tooEarly)
        try f.apply(.deliver(purchase: 1, sealedKey: [9]), by: f.alice)
        #expect(try f.refusal(.release(purchase: 1), by: f.dave) == .tooEarly)
        f.now += 301
        #expect(try f.refusal(.openDispute(purchase: 1, evidenceCID: "bafyevidence"), by: f.bob) == .tooLate)
        let released = try f.apply(.release(purchase: 1), by: f.dave)  // a third party triggers it
        #expect(released.map(\.name) == ["EscrowReleased"])
        #expect(f.balance(f.alice) == (try TokenAmount(tokens: "1097.5")))

        // A seller who never delivers: the buyer reclaims the price, and the licence is revoked.
        try f.apply(f.purchase(), by: f.dave)
        f.now += 101
        #expect(try f.refusal(.deliver(purchase: 2, sealedKey: [9]), by: f.alice) == .tooLate)
        #expect(try f.refusal(.reclaim(purchase: 2), by: f.carol) == .unauthorised)
        let reclaimed = try f.apply(.reclaim(purchase: 2), by: f.dave)
        #expect(reclaimed.map(\.name) == ["EscrowRefunded", "LicenceRevoked"])
        #expect(f.balance(f.dave) == .tokens(1_000))
        #expect(f.state.purchases[2]!.licenceStatus(at: f.now) == .revoked)
    }

    @Test("a dispute goes to the assigned arbiter; evidence from both sides; a refund revokes the licence")
    func disputeRefund() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        try f.apply(.deliver(purchase: 1, sealedKey: [9]), by: f.alice)
        let opened = try f.apply(.openDispute(purchase: 1, evidenceCID: "bafybuyer"), by: f.bob)
        #expect(opened.map(\.name) == ["DisputeOpened", "Evidence"])
        #expect(opened[0].fields["arbiter"] == f.carol.address.description)
        #expect(f.balance(f.bob) == .tokens(895))  // price and the arbitration fee
        #expect(f.state.escrowed == .tokens(105))
        #expect(try f.refusal(.accept(purchase: 1), by: f.bob) == .invalidState)
        #expect(try f.refusal(.rule(purchase: 1, buyerShare: .whole), by: f.carol) == .tooEarly)
        #expect(try f.refusal(.submitEvidence(purchase: 1, evidenceCID: "bafyx"), by: f.dave) == .unauthorised)
        try f.apply(.submitEvidence(purchase: 1, evidenceCID: "bafyseller"), by: f.alice)
        #expect(try f.refusal(.rule(purchase: 1, buyerShare: .whole), by: f.dave) == .unauthorised)
        let ruled = try f.apply(.rule(purchase: 1, buyerShare: .whole), by: f.carol)
        #expect(ruled.map(\.name) == ["Ruling", "EscrowRefunded", "LicenceRevoked"])
        #expect(f.balance(f.bob) == .tokens(995))
        #expect(f.balance(f.carol) == .tokens(1_005))
        #expect(f.balance(f.alice) == .tokens(1_000))
        #expect(f.state.purchases[1]!.licenceStatus(at: f.now) == .revoked)
        #expect(try f.refusal(.rule(purchase: 1, buyerShare: .whole), by: f.carol) == .invalidState)
        // After the refund the buyer may buy again.
        try f.apply(f.purchase(), by: f.bob)
    }

    @Test("a split ruling divides the price exactly; the seller's part pays the platform fee")
    func disputeSplit() throws {
        var f = try LedgerFixture()
        try f.listed()
        try f.apply(f.purchase(), by: f.bob)
        try f.apply(.openDispute(purchase: 1, evidenceCID: ""), by: f.alice)  // the seller may open one too
        #expect(f.balance(f.alice) == .tokens(995))
        f.now += 201
        #expect(try f.refusal(.submitEvidence(purchase: 1, evidenceCID: "late"), by: f.bob) == .tooLate)
        let ruled = try f.apply(.rule(purchase: 1, buyerShare: try BasisPoints(3_000)), by: f.carol)
        #expect(ruled.map(\.name) == ["Ruling", "EscrowSplit"])
        // 30 to the buyer; 70 to the seller less 2.5 % (1.75).
        #expect(f.balance(f.bob) == .tokens(930))
        #expect(f.balance(f.alice) == (try TokenAmount(tokens: "1063.25")))
        #expect(f.state.balance(of: f.treasury) == (try TokenAmount(tokens: "1.75")))
        #expect(f.state.purchases[1]!.licenceStatus(at: f.now) == .active)
    }

    @Test("a listing changes hands through an offer; the creator is paid the royalty")
    func listingTransfer() throws {
        var f = try LedgerFixture()
        try f.listed()
        #expect(try f.refusal(.takeListing(listing: 1, price: .tokens(200)), by: f.bob) == .invalidState)
        try f.apply(.offerListing(listing: 1, to: f.bob.address, price: .tokens(200)), by: f.alice)
        #expect(try f.refusal(.takeListing(listing: 1, price: .tokens(200)), by: f.dave) == .unauthorised)
        try f.apply(.takeListing(listing: 1, price: .tokens(200)), by: f.bob)
        #expect(f.state.listings[1]!.owner == f.bob.address)
        // Bob sells on to Dave: 5 % royalty to Alice, the creator.
        try f.apply(.offerListing(listing: 1, to: .zero, price: .tokens(300)), by: f.bob)
        try f.apply(.takeListing(listing: 1, price: .tokens(300)), by: f.dave)
        #expect(f.balance(f.alice) == .tokens(1_215))
        #expect(f.balance(f.bob) == .tokens(1_085))
        // Purchases now pay the new owner.
        try f.apply(f.purchase(), by: f.carol)
        #expect(f.state.purchases[1]!.seller == f.dave.address)
    }

    @Test("token: transfers, allowances, and a faucet only on a development ledger")
    func token() throws {
        var f = try LedgerFixture()
        try f.apply(.faucet(amount: .tokens(50)), by: f.alice)
        #expect(try f.refusal(.faucet(amount: .tokens(10_001)), by: f.alice) == .invalidArgument)
        try f.apply(.approve(spender: f.bob.address, amount: .tokens(20)), by: f.alice)
        #expect(try f.refusal(.transferFrom(from: f.alice.address, to: f.dave.address, amount: .tokens(21)), by: f.bob) == .insufficientFunds)
        try f.apply(.transferFrom(from: f.alice.address, to: f.dave.address, amount: .tokens(15)), by: f.bob)
        #expect(f.balance(f.dave) == .tokens(15) && f.balance(f.alice) == .tokens(35))
        #expect(f.state.account(f.alice.address).allowances.values.first == .tokens(5))
        #expect(try f.refusal(.transfer(to: f.bob.address, amount: .tokens(36)), by: f.alice) == .insufficientFunds)

        var production = try LedgerFixture(devMode: false)
        #expect(try production.refusal(.faucet(amount: .tokens(1)), by: production.alice) == .unauthorised)

        // A per-account limit counts everything the faucet gave the account, whatever it did with it since.
        var capped = try LedgerFixture(faucetAccountLimit: .tokens(100))
        try capped.apply(.faucet(amount: .tokens(60)), by: capped.alice)
        try capped.apply(.transfer(to: capped.bob.address, amount: .tokens(60)), by: capped.alice)
        #expect(try capped.refusal(.faucet(amount: .tokens(41)), by: capped.alice) == .invalidArgument)
        try capped.apply(.faucet(amount: .tokens(40)), by: capped.alice)
        try capped.apply(.faucet(amount: .tokens(100)), by: capped.bob)
        #expect(capped.balance(capped.alice) == .tokens(40) && capped.balance(capped.bob) == .tokens(160))
        #expect(capped.state.account(capped.alice.address).fauceted == .tokens(100))
    }

    @Test("amounts are exact: parsing, printing, shares")
    func amounts() throws {
        #expect(try TokenAmount(tokens: "1.5").units == 1_500_000_000_000_000_000)
        #expect(try TokenAmount(tokens: "0.000000000000000001").units == 1)
        #expect(try TokenAmount(tokens: "1234.5").tokenString == "1234.5")
        #expect(throws: LedgerError(.invalidArgument, "")) { try TokenAmount(tokens: "1.0000000000000000001") }
        #expect(throws: LedgerError(.invalidArgument, "")) { try TokenAmount(tokens: "1e18") }
        #expect(throws: LedgerError(.invalidArgument, "")) { try BasisPoints(10_001) }
        let big = TokenAmount(units: UInt128.max)
        #expect(big.share(.whole) == big)
        #expect(TokenAmount(units: 10_001).share(try BasisPoints(2_500)) == TokenAmount(units: 2_500))
    }
}

@Suite("Account keys")
struct AccountKeyTests {
    @Test("the X25519 key is derived from the account key, differs per account, and opens what is sealed to the key a purchase names")
    func sealingKey() throws {
        let key = Secp256k1.PrivateKey.random()
        let keys = AccountKeys(key)
        #expect(AccountKeys(try Secp256k1.PrivateKey(bytes: key.bytes)).sealing.publicKey == keys.sealing.publicKey)
        #expect(AccountKeys(.random()).sealing.publicKey != keys.sealing.publicKey)
        // A fixed vector: the derivation is part of the protocol and must not drift.
        let fixed = AccountKeys(try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 1, count: 32)))
        let secret = SHA256.hash(Array("lightbox.x25519/v1".utf8) + [UInt8](repeating: 1, count: 32))
        #expect(fixed.sealing.secretKey == secret)

        var f = try LedgerFixture()
        try f.listed()
        let buyer = AccountKeys(f.bob.key)
        let record = f.state.listings[1]!
        let events = try f.apply(.purchase(listing: 1, price: record.price, termsHash: record.termsHash, buyerKey: buyer.sealing.publicKey.bytes), by: f.bob)
        #expect(events.first?.name == "Purchased")
        let named = try X25519.PublicKey(bytes: f.state.purchases[1]!.buyerKey)
        let contentKey = SymmetricKey.random()
        let sealed = SealedBox.seal(contentKey.bytes, to: named)
        #expect(try SealedBox.open(sealed, with: AccountKeys(f.bob.key).sealing) == contentKey.bytes)
        #expect(throws: (any Error).self) { try SealedBox.open(sealed, with: AccountKeys(f.dave.key).sealing) }
    }
}
