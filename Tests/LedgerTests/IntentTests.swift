import Ledger
import LightboxCrypto
import Testing

/// Signed intents: each way an intent can be wrong is refused with its own error.
@Suite("Intents")
struct IntentTests {
    static let types: [String: [EIP712.Field]] = [
        "Purchase": Intent.commonFields + [.init("listingId", "uint256"), .init("price", "uint256"), .init("termsHash", "bytes32")],
    ]
    static let domain = IntentDomain.embedded(chainID: 31_337, ledgerID: "test-ledger")

    static func purchase(_ key: Secp256k1.PrivateKey, nonce: UInt64 = 0, deadline: UInt64 = 2_000) throws -> Intent {
        try Intent(
            type: "Purchase", types: types, account: EthereumAddress(publicKey: key.publicKey), nonce: nonce, deadline: deadline,
            fields: ["listingId": .uint(7), "price": try .uint(decimal: "1500000000000000000"), "termsHash": .bytes([UInt8](repeating: 0xab, count: 32))])
    }

    static func code(_ body: () throws -> Void) -> LedgerError.Code? {
        do {
            try body()
            return nil
        } catch let error as LedgerError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test("a well-formed intent verifies; replayed, early, expired, foreign-domain and forged ones are refused apart")
    func refusals() throws {
        let key = Secp256k1.PrivateKey.random()
        let verifier = IntentVerifier(domain: Self.domain)
        let signed = try Self.purchase(key, nonce: 3).signed(by: key, domain: Self.domain)
        try verifier.verify(signed, expectedNonce: 3, now: 1_000)
        #expect(Self.code { try verifier.verify(signed, expectedNonce: 4, now: 1_000) } == .replayed)
        #expect(Self.code { try verifier.verify(signed, expectedNonce: 2, now: 1_000) } == .nonceGap)
        #expect(Self.code { try verifier.verify(signed, expectedNonce: 3, now: 2_001) } == .expired)

        let otherChain = IntentDomain.embedded(chainID: 1, ledgerID: "test-ledger")
        let otherLedger = IntentDomain.embedded(chainID: 31_337, ledgerID: "another-ledger")
        for foreign in [otherChain, otherLedger] {
            let elsewhere = try Self.purchase(key, nonce: 3).signed(by: key, domain: foreign)
            #expect(Self.code { try verifier.verify(elsewhere, expectedNonce: 3, now: 1_000) } == .wrongDomain)
            // Claiming this ledger's domain for a signature made elsewhere does not help: it is not the account's.
            let relabelled = SignedIntent(intent: elsewhere.intent, domain: Self.domain, signature: elsewhere.signature)
            #expect(Self.code { try verifier.verify(relabelled, expectedNonce: 3, now: 1_000) } == .badSignature)
        }

        let mallory = Secp256k1.PrivateKey.random()
        let forged = SignedIntent(
            intent: try Self.purchase(key, nonce: 3), domain: Self.domain,
            signature: try Self.purchase(mallory, nonce: 3).signed(by: mallory, domain: Self.domain).signature)
        #expect(Self.code { try verifier.verify(forged, expectedNonce: 3, now: 1_000) } == .badSignature)
        var garbled = signed.signature
        garbled[64] = 9
        #expect(Self.code { try verifier.verify(SignedIntent(intent: signed.intent, domain: Self.domain, signature: garbled), expectedNonce: 3, now: 1_000) } == .badSignature)
        #expect(Self.code { _ = try Self.purchase(key).signed(by: mallory, domain: Self.domain) } == .invalidIntent)
    }

    @Test("changing any field after signing breaks the signature")
    func tampering() throws {
        let key = Secp256k1.PrivateKey.random()
        let signed = try Self.purchase(key).signed(by: key, domain: Self.domain)
        var fields = signed.intent.fields
        fields["price"] = try .uint(decimal: "1")
        let cheaper = try Intent(type: "Purchase", types: Self.types, account: signed.intent.account, nonce: 0, deadline: 2_000, fields: fields)
        let verifier = IntentVerifier(domain: Self.domain)
        #expect(Self.code { try verifier.verify(SignedIntent(intent: cheaper, domain: Self.domain, signature: signed.signature), expectedNonce: 0, now: 0) } == .badSignature)
        #expect(Self.code { _ = try Intent(type: "Bad", types: ["Bad": [.init("x", "uint256")]], account: signed.intent.account, nonce: 0, deadline: 0, fields: [:]) } == .invalidIntent)
    }

    @Test("an intent naming an Ed25519 QA key, the form before attestations were EIP-712, is refused with what to sign instead")
    func ed25519QAKeyIntent() throws {
        let key = Secp256k1.PrivateKey.random()
        let old = try Intent(
            type: "SetQAKey", types: ["SetQAKey": Intent.commonFields + [.init("key", "bytes32"), .init("active", "bool")]],
            account: EthereumAddress(publicKey: key.publicKey), nonce: 0, deadline: 2_000,
            fields: ["key": .bytes([UInt8](repeating: 7, count: 32)), "active": .bool(true)])
        do {
            _ = try old.action()
            Issue.record("an Ed25519 QA key intent was read")
        } catch {
            #expect(error.code == .invalidIntent && error.message.contains("SetQASigner"))
        }
    }
}
