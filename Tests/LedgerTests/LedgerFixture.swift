import Ledger
import LightboxCrypto

/// A development ledger's cast: governance, a QA key, a contributor, buyers and arbiters, each with a key, and
/// helpers that sign their intents with the right nonces.
struct LedgerFixture {
    struct Account {
        let key: Secp256k1.PrivateKey
        var address: EthereumAddress { EthereumAddress(publicKey: key.publicKey) }
    }

    let governance = Account(key: .random())
    let alice = Account(key: .random())  // contributor
    let bob = Account(key: .random())  // buyer
    let carol = Account(key: .random())  // arbiter
    let dave = Account(key: .random())  // another buyer
    let qaKey = Secp256k1.PrivateKey.random()
    let buyerKey = X25519.KeyPair()
    let parameters: LedgerParameters
    var state: LedgerState
    var now: UInt64 = 1_000_000

    init(devMode: Bool = true, faucetAccountLimit: TokenAmount? = nil, arbiters extra: [EthereumAddress] = []) throws {
        parameters = try LedgerParameters(
            ledgerID: "test-ledger", governance: EthereumAddress(publicKey: governance.key.publicKey), platformFeeBps: 250,
            arbitrationFee: .tokens(5), deliveryPeriod: 100, acceptancePeriod: 300, evidencePeriod: 200, devMode: devMode,
            faucetAccountLimit: faucetAccountLimit, arbiters: [EthereumAddress(publicKey: carol.key.publicKey)] + extra, qaSigners: [EthereumAddress(publicKey: qaKey.publicKey)])
        state = LedgerState(parameters: parameters)
    }

    var treasury: EthereumAddress { parameters.treasury }

    /// Signs `action` as `account` with its next nonce.
    func sign(_ action: LedgerAction, by account: Account, deadline: UInt64? = nil) throws -> SignedIntent {
        let intent = Intent(action, account: account.address, nonce: state.nextNonce(of: account.address), deadline: deadline ?? now + 3_600)
        return try intent.signed(by: account.key, domain: parameters.domain)
    }

    /// Applies `action` as `account`; returns the events.
    @discardableResult
    mutating func apply(_ action: LedgerAction, by account: Account) throws -> [LedgerEvent] {
        let signed = try sign(action, by: account)
        return try state.apply(signed, at: now)
    }

    /// Applies `action` expecting a refusal; returns its code, and checks the state did not change.
    mutating func refusal(_ action: LedgerAction, by account: Account) throws -> LedgerError.Code? {
        let before = state
        do {
            try apply(action, by: account)
            return nil
        } catch let error as LedgerError {
            precondition(state == before, "a refused intent changed the state")
            return error.code
        }
    }

    func attestation(manifest: String = "bafymanifest1", passed: Bool = true, score: UInt64 = 92, key: Secp256k1.PrivateKey? = nil) -> QAAttestation {
        try! QAAttestation.sign(
            manifestCID: manifest, reportCID: "bafyreport-\(manifest)", reportHash: SHA256.hash(Array(manifest.utf8)), score: score,
            passed: passed, key: key ?? qaKey)
    }

    func mintRequest(
        manifest: String = "bafymanifest1", price: TokenAmount = .tokens(100), royalty: UInt64 = 500, terms: LicenceTerms? = nil
    ) throws -> LedgerAction.MintRequest {
        .init(
            contentRoot: "bafyroot-\(manifest)", attestation: attestation(manifest: manifest),
            terms: try terms ?? LicenceTerms.template("commercial"), price: price, royalty: try BasisPoints(royalty))
    }

    /// Funds the cast from the faucet and mints listing 1 by alice at 100 tokens.
    mutating func listed() throws {
        for account in [alice, bob, dave, carol] { try apply(.faucet(amount: .tokens(1_000)), by: account) }
        try apply(.mint(try mintRequest()), by: alice)
    }

    func purchase(_ listing: UInt64 = 1) -> LedgerAction {
        let record = state.listings[listing]!
        return .purchase(listing: listing, price: record.price, termsHash: record.termsHash, buyerKey: buyerKey.publicKey.bytes)
    }

    func balance(_ account: Account) -> TokenAmount { state.balance(of: account.address) }
}
