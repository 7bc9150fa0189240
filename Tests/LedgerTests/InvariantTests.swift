import Ledger
import LightboxCrypto
import Testing

/// Property tests: random sequences of signed actions by random accounts, at random times, with the ledger's
/// invariants checked after every step.
@Suite("Ledger invariants")
struct InvariantTests {
    /// A small, seeded generator, so a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomAction(_ f: LedgerFixture, _ rng: inout SplitMix) throws -> LedgerAction {
        let listing = UInt64.random(in: 1...max(1, UInt64(f.state.listings.count) + 1), using: &rng)
        let purchase = UInt64.random(in: 1...max(1, UInt64(f.state.purchases.count) + 1), using: &rng)
        let amount = TokenAmount(units: UInt128.random(in: 0...(UInt128(300) * TokenAmount.unitsPerToken), using: &rng))
        let others = [f.alice, f.bob, f.carol, f.dave].map(\.address)
        switch Int.random(in: 0..<15, using: &rng) {
        case 0: return .faucet(amount: .tokens(UInt64.random(in: 0...500, using: &rng)))
        case 1: return .transfer(to: others.randomElement(using: &rng)!, amount: amount)
        case 2: return .mint(try f.mintRequest(manifest: "m\(UInt64.random(in: 0...8, using: &rng))", price: amount))
        case 3, 4:
            // Mostly at the listing's real price and terms; sometimes not.
            guard let record = f.state.listings[listing], Bool.random(using: &rng) || Bool.random(using: &rng) else {
                return .purchase(listing: listing, price: amount, termsHash: [UInt8](repeating: 7, count: 32), buyerKey: f.buyerKey.publicKey.bytes)
            }
            return .purchase(listing: listing, price: record.price, termsHash: record.termsHash, buyerKey: f.buyerKey.publicKey.bytes)
        case 5: return .deliver(purchase: purchase, sealedKey: [1, 2, 3])
        case 6: return .accept(purchase: purchase)
        case 7: return .release(purchase: purchase)
        case 8: return .reclaim(purchase: purchase)
        case 9: return .openDispute(purchase: purchase, evidenceCID: "bafyopen")
        case 10: return .submitEvidence(purchase: purchase, evidenceCID: "bafyevidence")
        case 11: return .rule(purchase: purchase, buyerShare: try BasisPoints(UInt64.random(in: 0...10_000, using: &rng)))
        case 12: return .setPrice(listing: listing, price: amount)
        case 13: return .setPaused(listing: listing, paused: Bool.random(using: &rng))
        default: return .offerListing(listing: listing, to: .zero, price: amount)
        }
    }

    @Test("over random action sequences: tokens are conserved, escrows pay out once, licences are active only if bought and not refunded, nonces only rise", arguments: [1, 2, 3] as [UInt64])
    func invariants(seed: UInt64) throws {
        var rng = SplitMix(state: seed)
        var f = try LedgerFixture()
        let cast = [f.alice, f.bob, f.carol, f.dave]
        var payouts: [UInt64: Int] = [:]
        var accepted = 0
        for _ in 0..<1_000 {
            f.now += UInt64.random(in: 0...40, using: &rng)
            let actor = cast.randomElement(using: &rng)!
            let action = try Self.randomAction(f, &rng)
            let before = f.state
            let nonces = cast.map { f.state.nextNonce(of: $0.address) }
            do {
                let events = try f.apply(action, by: actor)
                accepted += 1
                for event in events where ["EscrowReleased", "EscrowRefunded", "EscrowSplit"].contains(event.name) {
                    payouts[UInt64(event.fields["purchaseId"]!)!, default: 0] += 1
                }
                for (account, nonce) in zip(cast, nonces) {
                    #expect(f.state.nextNonce(of: account.address) == nonce + (account.address == actor.address ? 1 : 0))
                }
            } catch is LedgerError {
                #expect(f.state == before, "a refused \(action.typeName) changed the state")
            }
            // Conservation: every token minted is in a balance or held in an escrow.
            let balances = f.state.accounts.values.reduce(TokenAmount.zero) { $0 + $1.balance }
            #expect(balances + f.state.escrowed == f.state.governance.supply)
            for purchase in f.state.purchases.values {
                let paidOut = payouts[purchase.id, default: 0]
                #expect(paidOut <= 1, "purchase \(purchase.id) paid out \(paidOut) times")
                #expect(purchase.isOpen == (paidOut == 0))
                #expect((purchase.licenceStatus(at: f.now) == .revoked) == (purchase.escrow == .refunded))
            }
        }
        // The sequence exercised the contracts, not just their refusals.
        #expect(accepted > 150)
        #expect(payouts.count > 5)
        #expect(f.state.purchases.values.contains { $0.escrow == .split || $0.escrow == .refunded })
    }
}
