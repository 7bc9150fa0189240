import Ledger
import LightboxCrypto

/// A ledger benchmark's intents, signed in advance: rounds of every kind of intent by a pool of accounts, each
/// valid in order (checked against an in-memory ledger while they are made).
struct LedgerWorkload {
    let parameters: LedgerParameters
    let time: UInt64
    private(set) var intents: [SignedIntent] = []
    private var state: LedgerState
    private let governance = AccountKeys(.random())
    private let qaKey = Secp256k1.PrivateKey.random()
    private let arbiters: [AccountKeys]
    private let accounts: [AccountKeys]
    private var nextManifest = 0

    init(accounts count: Int = 64, time: UInt64) throws {
        arbiters = (0..<4).map { _ in AccountKeys(.random()) }
        accounts = (0..<count).map { _ in AccountKeys(.random()) }
        self.time = time
        parameters = try LedgerParameters(
            ledgerID: "bench", governance: governance.address, arbiters: arbiters.map(\.address), qaSigners: [EthereumAddress(publicKey: qaKey.publicKey)])
        state = LedgerState(parameters: parameters)
    }

    /// Makes intents until there are at least `count`.
    mutating func make(_ count: Int) throws {
        for account in accounts { try add(.faucet(amount: .tokens(10_000)), by: account) }
        var round = 0
        while intents.count < count {
            let seller = accounts[round % accounts.count]
            let buyer = accounts[(round * 7 + 1) % accounts.count]
            let other = accounts[(round * 13 + 5) % accounts.count]
            guard buyer.address != seller.address, other.address != seller.address, other.address != buyer.address else {
                round += 1
                continue
            }
            // Buyers who run low draw from the faucet (sellers earn what buyers spend).
            for account in [buyer, other] where state.balance(of: account.address) < .tokens(100) {
                try add(.faucet(amount: .tokens(10_000)), by: account)
            }
            // A listing, bought and accepted; bought again by another and disputed, with evidence and a ruling.
            nextManifest += 1
            let manifest = "bafybench\(nextManifest)"
            let attestation = try QAAttestation.sign(
                manifestCID: manifest, reportCID: "bafyreport\(nextManifest)", reportHash: SHA256.hash(Array(manifest.utf8)), score: 90,
                passed: true, key: qaKey)
            try add(.mint(.init(contentRoot: "bafyroot\(nextManifest)", attestation: attestation, terms: try LicenceTerms.template("commercial"),
                                price: .tokens(10), royalty: try BasisPoints(500))), by: seller)
            let listing = state.nextListingID - 1
            try add(.setPrice(listing: listing, price: .tokens(12)), by: seller)
            let termsHash = state.listings[listing]!.termsHash
            let first = state.nextPurchaseID
            try add(.purchase(listing: listing, price: .tokens(12), termsHash: termsHash, buyerKey: buyer.sealing.publicKey.bytes), by: buyer)
            try add(.deliver(purchase: first, sealedKey: [UInt8](repeating: 7, count: 80)), by: seller)
            try add(.accept(purchase: first), by: buyer)
            let second = state.nextPurchaseID
            try add(.purchase(listing: listing, price: .tokens(12), termsHash: termsHash, buyerKey: other.sealing.publicKey.bytes), by: other)
            try add(.deliver(purchase: second, sealedKey: [UInt8](repeating: 7, count: 80)), by: seller)
            try add(.openDispute(purchase: second, evidenceCID: "bafyevidence-buyer-\(second)"), by: other)
            try add(.submitEvidence(purchase: second, evidenceCID: "bafyevidence-seller-\(second)"), by: seller)
            let arbiter = state.purchases[second]!.dispute!.arbiter
            try add(.rule(purchase: second, buyerShare: try BasisPoints(5_000)), by: arbiters.first { $0.address == arbiter }!)
            try add(.transfer(to: other.address, amount: .tokens(1)), by: buyer)
            round += 1
        }
        intents.removeLast(intents.count - count)
    }

    private mutating func add(_ action: LedgerAction, by account: AccountKeys) throws {
        let intent = Intent(action, account: account.address, nonce: state.nextNonce(of: account.address), deadline: time + 86_400)
        let signed = try intent.signed(by: account.signing, domain: parameters.domain)
        _ = try state.apply(signed, at: time)
        intents.append(signed)
    }
}
