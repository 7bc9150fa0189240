import Foundation
import Ledger
import LightboxCrypto
import Node
import Persistence

/// The gas of each step of the marketplace's two journeys on a chain, every intent relayed: publish, buy (with a
/// permit), deliver, accept; and buy, deliver, dispute (with a permit for the fee), evidence, rule.
struct JourneyGas {
    let ledger: EVMLedger
    /// Registered as the deployment's arbiter.
    let arbiter: Secp256k1.PrivateKey
    let identity: NodeIdentity

    func measure() async throws -> [(String, UInt64)] {
        let creator = Secp256k1.PrivateKey.random(), buyer = Secp256k1.PrivateKey.random(), second = Secp256k1.PrivateKey.random()
        let attestation = try QAAttestation.sign(manifestCID: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", reportCID: "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne",
                                                 reportHash: SHA256.hash(Array("report".utf8)), score: 95, passed: true, key: identity.qaKey)
        let terms = try LicenceTerms.template("commercial")
        var gas = [(String, UInt64)]()
        var journeyBuy: UInt64 = 0, journeyDispute: UInt64 = 0
        let mint = try await step(.mint(.init(contentRoot: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", attestation: attestation,
                                              terms: terms, price: .tokens(25), royalty: try BasisPoints(500))), by: creator)
        gas.append(("gas_mint", mint.gas))
        let listing = try unwrapping(mint.receipt.events.first { $0.name == "ListingMinted" }?.listingID)
        for account in [buyer, second] { _ = try await step(.faucet(amount: .tokens(100)), by: account) }
        let purchase = LedgerAction.purchase(listing: listing, price: .tokens(25), termsHash: terms.hash, buyerKey: [UInt8](repeating: 7, count: 32))
        let bought = try await step(purchase, by: buyer, permit: .tokens(25))
        let id = try unwrapping(bought.receipt.events.first { $0.name == "Purchased" }?.fields["purchaseId"].flatMap(UInt64.init))
        let delivered = try await step(.deliver(purchase: id, sealedKey: [UInt8](repeating: 1, count: 80)), by: creator)
        let accepted = try await step(.accept(purchase: id), by: buyer)
        gas += [("gas_purchase_with_permit", bought.gas), ("gas_deliver", delivered.gas), ("gas_accept", accepted.gas)]
        journeyBuy = mint.gas + bought.gas + delivered.gas + accepted.gas

        let bought2 = try await step(purchase, by: second, permit: .tokens(25))
        let id2 = try unwrapping(bought2.receipt.events.first { $0.name == "Purchased" }?.fields["purchaseId"].flatMap(UInt64.init))
        let delivered2 = try await step(.deliver(purchase: id2, sealedKey: [UInt8](repeating: 1, count: 80)), by: creator)
        let disputed = try await step(.openDispute(purchase: id2, evidenceCID: "bafkreibrmey5zbv5mxtf3acifoxyyn3kggop4fzecyzvil37s6wo7cwrxu"), by: second,
                                      permit: ledger.parameters.arbitrationFee)
        let evidence = try await step(.submitEvidence(purchase: id2, evidenceCID: "bafkreic3zpnv7gz33acu4zxezogcslsul44wyyair2hhcsl2fdsf327wlu"), by: creator)
        let ruled = try await step(.rule(purchase: id2, buyerShare: try BasisPoints(5_000)), by: arbiter)
        gas += [("gas_open_dispute_with_permit", disputed.gas), ("gas_submit_evidence", evidence.gas), ("gas_rule", ruled.gas)]
        journeyDispute = bought2.gas + delivered2.gas + disputed.gas + evidence.gas + ruled.gas
        gas += [("gas_journey_publish_buy_accept", journeyBuy), ("gas_journey_buy_dispute_rule", journeyDispute)]
        return gas
    }

    /// Signs `action` as `key` with its next nonce (and a permit for `permit` when given), submits it, and returns
    /// its entry with the gas its transactions used. A Purchase's permit rides in its own transaction; another
    /// intent's permit is sent to the token first, by the relayer, and counted with it.
    private func step(_ action: LedgerAction, by key: Secp256k1.PrivateKey, permit value: TokenAmount? = nil) async throws -> (receipt: LedgerReceipt, gas: UInt64) {
        let account = EthereumAddress(publicKey: key.publicKey)
        // From the chain's clock: a development chain mining a block per transaction runs ahead of the wall clock.
        let chainTime = try await ledger.sender.rpc.block(.latest)?.timestamp ?? 0
        let deadline = max(UInt64(Date().timeIntervalSince1970), chainTime) + 3_600
        let nonce = try await ledger.nextNonce(of: account, for: action.typeName)
        var signed = try Intent(action, account: account, nonce: nonce, deadline: deadline).signed(by: key, domain: ledger.domain(for: action.typeName))
        var gas: UInt64 = 0
        if let value, let domain = ledger.permitDomain {
            let permit = try TokenPermit.sign(by: key, spender: ledger.addresses.escrow, value: value,
                                              nonce: try await ledger.permitNonce(of: account), deadline: deadline, domain: domain)
            if case .purchase = action {
                signed.permit = permit
            } else {
                let data = try IntentCalls.permitCall(permit, owner: account, spender: ledger.addresses.escrow)
                gas += try await ledger.sender.send(to: ledger.addresses.paymentToken, data: data, what: "permit").gasUsed
            }
        }
        let receipt = try await ledger.submit([signed])[0].get()
        if receipt.index > 0, let hash = try await ledger.transaction(ofEntry: receipt.index),
           let mined = try await ledger.sender.rpc.transactionReceipt(hash) {
            gas += mined.gasUsed
        }
        return (receipt, gas)
    }
}

/// Unwraps or fails the benchmark with what was missing.
func unwrapping<T>(_ value: T?, _ what: String = #function) throws -> T {
    guard let value else { throw CommandError("a journey step did not produce what it should (\(what))") }
    return value
}
