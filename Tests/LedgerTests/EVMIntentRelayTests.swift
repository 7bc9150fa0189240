import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Testing

/// Intents signed as on the embedded ledger, relayed to the Vyper contracts on the development chain by another
/// account: the same EIP-712 types under each contract's domain, refusals decoded into the embedded ledger's error
/// kinds, and logs read back as the embedded ledger's events.
@Suite("EVM intent relaying")
struct EVMIntentRelayTests {
    struct Deployment {
        let url: String
        let addresses: ContractAddresses
        let owner: TransactionSender
        let ownerKey: Secp256k1.PrivateKey
        let relayer: TransactionSender
        let qaKey: Secp256k1.PrivateKey

        func domain(_ contract: LightboxContract) -> IntentDomain {
            IntentDomain(chainID: addresses.chainID, verifyingContract: addresses.address(of: contract))
        }

        func address(_ contract: LightboxContract) -> EthereumAddress { domain(contract).verifyingContract }

        /// Signs `action` as `key`'s account with its next nonce at the executing contract, and relays it.
        func relay(_ action: LedgerAction, by key: Secp256k1.PrivateKey, nonce: UInt64? = nil) async throws -> [LedgerEvent] {
            let account = EthereumAddress(publicKey: key.publicKey)
            let contract = IntentCalls.contract(for: action.typeName) ?? .escrow
            var next = try await intentNonce(account, at: contract)
            if let nonce { next = nonce }
            let intent = Intent(action, account: account, nonce: next, deadline: UInt64(Date().timeIntervalSince1970) + 3_600)
            let (target, data) = try IntentCalls.relayed(try intent.signed(by: key, domain: domain(contract)))
            #expect(target == contract)
            let receipt: TransactionReceipt
            do {
                receipt = try await relayer.send(to: address(contract), data: data, what: action.typeName)
            } catch {
                throw EVMLedgerErrors.ledgerError(error, intentType: action.typeName)
            }
            let mapper = LogEvents(addresses)
            return try receipt.logs.compactMap { try mapper.event(of: $0) }
        }

        func intentNonce(_ account: EthereumAddress, at contract: LightboxContract) async throws -> UInt64 {
            let function = try ContractArtifact.of(contract).abi.function("intentNonces")
            let output = try await relayer.rpc.call(CallRequest(to: address(contract), data: try function.encodeCall([.address(account)])))
            return try function.decodeOutput(output)[0].asUInt64()
        }

        func tokenCall(_ sender: TransactionSender, _ name: String, _ arguments: [ABIValue]) async throws {
            let function = try ContractArtifact.of(.devToken).abi.function(name)
            _ = try await sender.send(to: addresses.paymentToken, data: try function.encodeCall(arguments), what: name)
        }

        static func make() async throws -> Deployment {
            let url = try TestChain.sharedURL()
            let ownerKey = try await TestChain.fundedKey(100 * TestChain.ether)
            let owner = try await TestChain.sender(ownerKey, url: url)
            let relayer = try await TestChain.sender(try await TestChain.fundedKey(100 * TestChain.ether), url: url)
            let qaKey = Secp256k1.PrivateKey.random()
            var options = ContractDeployer.Options(development: true)
            options.qaSigners = [EthereumAddress(publicKey: qaKey.publicKey)]
            let addresses = try await ContractDeployer(sender: owner).deploy(options)
            return Deployment(url: url, addresses: addresses, owner: owner, ownerKey: ownerKey, relayer: relayer, qaKey: qaKey)
        }
    }

    @Test("a relayed mint, purchase and refusals: events as the embedded ledger names them, refusals as its error kinds")
    func relayedJourney() async throws {
        let chain = try await Deployment.make()
        let alice = Secp256k1.PrivateKey.random(), bob = try await TestChain.fundedKey(TestChain.ether)
        let bobAddress = EthereumAddress(publicKey: bob.publicKey)

        // Governance registers an arbiter: relayed, the owner signs.
        let arbiter = Secp256k1.PrivateKey.random()
        let arbiterSet = try await chain.relay(.setArbiter(EthereumAddress(publicKey: arbiter.publicKey), active: true), by: chain.ownerKey)
        #expect(arbiterSet == [LedgerEvent("Governance", "ArbiterSet", ["arbiter": EthereumAddress(publicKey: arbiter.publicKey).description, "active": "true"])])

        // Alice mints with the QA key's attestation; she holds no ether: the relayer pays.
        let terms = try LicenceTerms.template("commercial")
        let attestation = try QAAttestation.sign(manifestCID: "bafymanifest-relay", reportCID: "bafyreport-relay",
                                                 reportHash: SHA256.hash(Array("report".utf8)), score: 93, passed: true, key: chain.qaKey)
        let mint = LedgerAction.mint(.init(contentRoot: "bafyroot-relay", attestation: attestation, terms: terms, price: .tokens(100),
                                           royalty: try BasisPoints(500)))
        let minted = try await chain.relay(mint, by: alice)
        let listing = try #require(minted.first { $0.name == "ListingMinted" })
        #expect(listing.contract == "DatasetRegistry" && listing.fields["listingId"] == "1")
        #expect(listing.fields["creator"] == EthereumAddress(publicKey: alice.publicKey).description)
        #expect(listing.fields["termsHash"] == terms.hash.hexString && listing.fields["manifestCid"] == "bafymanifest-relay")
        #expect(listing.fields["price"] == TokenAmount.tokens(100).description && listing.fields["score"] == "93")

        // The same mint again is refused as the embedded ledger refuses it: the manifest is listed already.
        await #expect(throws: LedgerError(.invalidState, "")) { try await chain.relay(mint, by: alice) }

        // Bob buys: tokens from the development token's owner, an allowance for the Escrow, then a relayed Purchase.
        try await chain.tokenCall(chain.owner, "mint", [.address(bobAddress), .uint(TokenAmount.tokens(1_000).units)])
        let bobSender = try await TestChain.sender(bob, url: chain.url)
        try await chain.tokenCall(bobSender, "approve", [.address(chain.addresses.escrow), .uint(TokenAmount.tokens(1_000).units)])
        let purchase = LedgerAction.purchase(listing: 1, price: .tokens(100), termsHash: terms.hash, buyerKey: [UInt8](repeating: 7, count: 32))
        let bought = try await chain.relay(purchase, by: bob)
        #expect(bought.map { "\($0.contract).\($0.name)" } == ["Escrow.Purchased", "Licences.LicenceIssued"])
        #expect(bought[0].fields["buyer"] == bobAddress.description && bought[0].fields["purchaseId"] == "1")
        #expect(bought[1].fields["expiresAt"] == "never")

        // Refusals come back as the embedded ledger's kinds.
        await #expect(throws: LedgerError(.replayed, "")) { try await chain.relay(purchase, by: bob, nonce: 0) }
        await #expect(throws: LedgerError(.nonceGap, "")) { try await chain.relay(.accept(purchase: 1), by: bob, nonce: 5) }
        // A ruling on a purchase not in dispute: the state is checked before the arbiter, as on the embedded ledger.
        await #expect(throws: LedgerError(.invalidState, "")) { try await chain.relay(.rule(purchase: 1, buyerShare: try BasisPoints(5_000)), by: arbiter) }
        await #expect(throws: LedgerError(.badSignature, "")) {
            let intent = Intent(.accept(purchase: 1), account: bobAddress, nonce: 1, deadline: UInt64(Date().timeIntervalSince1970) + 3_600)
            let forged = try intent.signed(by: bob, domain: chain.domain(.registry))  // the wrong contract's domain
            let data = try IntentCalls.relayed(forged).data
            do {
                _ = try await chain.relayer.send(to: chain.addresses.escrow, data: data, what: "Accept")
            } catch let error as EVMError {
                throw EVMLedgerErrors.ledgerError(error, intentType: "Accept")
            }
        }
        await #expect(throws: LedgerError(.unknown, "")) { try await chain.relay(.accept(purchase: 99), by: bob) }
        await #expect(throws: LedgerError(.invalidIntent, "")) { try await chain.relay(.faucet(amount: .tokens(1)), by: bob) }

        // Alice delivers (relayed), Bob accepts: the escrow pays out.
        let delivered = try await chain.relay(.deliver(purchase: 1, sealedKey: [1, 2, 3]), by: alice)
        #expect(delivered.first?.name == "Delivered" && delivered.first?.fields["sealedKey"] == "010203")
        let accepted = try await chain.relay(.accept(purchase: 1), by: bob)
        #expect(accepted.map(\.name) == ["Accepted", "EscrowReleased"])
        #expect(accepted[1].fields["amount"] == TokenAmount.tokens(100).share(try BasisPoints(9_750)).description)
    }

    @Test("EIP-2098: the compact form of a signature puts v's parity in s's top bit, and malformed signatures are refused")
    func compactSignatures() throws {
        let key = Secp256k1.PrivateKey.random()
        for message in ["a", "b", "c", "d", "e", "f"] {
            let signature = try key.sign(digest: Keccak256.hash(Array(message.utf8)))
            let (r, vs) = try IntentCalls.compact(signature.ethereumBytes)
            #expect(r == signature.r)
            #expect(vs[0] >> 7 == signature.recoveryID)
            #expect(Array([vs[0] & 0x7f] + vs.dropFirst()) == signature.s)
        }
        #expect(throws: LedgerError.self) { try IntentCalls.compact([UInt8](repeating: 1, count: 64)) }
        #expect(throws: LedgerError.self) { try IntentCalls.compact([UInt8](repeating: 1, count: 64) + [29]) }
    }
}
