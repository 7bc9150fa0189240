import Ledger
import LightboxCrypto

extension FuzzTarget {
    /// A signed intent's wire JSON as `POST /v1/intents` receives it; what parses is verified (EIP-712 digest and
    /// signature recovery) and must print and parse back to the same bytes.
    static let intent = FuzzTarget(name: "intent", summary: "a signed EIP-712 intent's wire JSON") { input in
        let domain = IntentDomain(chainID: 31_337, verifyingContract: fuzzLedgerAddress)
        let signed: SignedIntent
        do {
            signed = try SignedIntent(wireJSON: input, domain: domain)
        } catch {
            return .refused
        }
        let wire = signed.wireJSON
        let again = try? SignedIntent(wireJSON: wire, domain: domain)
        require(again?.wireJSON == wire, "an intent does not survive printing its wire JSON")
        do {
            try IntentVerifier(domain: domain).verify(signed, expectedNonce: signed.intent.nonce, now: 0)
        } catch {
            return .refused
        }
        return .accepted
    }
}

/// The ledger address the intent seeds were signed for.
let fuzzLedgerAddress = try! EthereumAddress("0x00000000000000000000000000000000004c4258")
