public import LightboxCrypto

/// Decides whether a signed intent may be applied: signed by its account under this ledger's domain, not expired,
/// and carrying exactly the account's next nonce. Each refusal has its own error code.
public struct IntentVerifier: Sendable {
    public let domain: IntentDomain

    public init(domain: IntentDomain) {
        self.domain = domain
    }

    /// Checks `signed` at time `now` (Unix seconds) against the account's next expected nonce.
    /// - Throws: ``LedgerError`` with code `.wrongDomain` when it was signed for another chain or ledger,
    ///   `.expired` when its deadline has passed, `.replayed` when its nonce was already used, `.nonceGap` when the
    ///   nonce skips ahead, `.badSignature` when the signature is malformed or not by the intent's account under
    ///   this ledger's domain.
    public func verify(_ signed: SignedIntent, expectedNonce: UInt64, now: UInt64) throws(LedgerError) {
        let intent = signed.intent
        guard signed.domain == domain else {
            throw LedgerError(
                .wrongDomain,
                "the intent was signed for chain \(signed.domain.chainID) and ledger \(signed.domain.verifyingContract), not chain \(domain.chainID) and ledger \(domain.verifyingContract)")
        }
        guard intent.deadline >= now else {
            throw LedgerError(.expired, "the intent's deadline, \(LedgerTime.text(intent.deadline)), has passed (it is now \(LedgerTime.text(now))); sign a new one")
        }
        guard intent.nonce >= expectedNonce else {
            throw LedgerError(.replayed, "nonce \(intent.nonce) of \(intent.account) was already used (next is \(expectedNonce))")
        }
        guard intent.nonce == expectedNonce else {
            throw LedgerError(.nonceGap, "nonce \(intent.nonce) of \(intent.account) skips ahead; the next is \(expectedNonce)")
        }
        let signer: EthereumAddress
        do {
            let digest = try intent.typedData(domain).digest()
            let signature = try Secp256k1.RecoverableSignature(ethereumBytes: signed.signature)
            signer = EthereumAddress(publicKey: try signature.recoverPublicKey(digest: digest))
        } catch {
            throw LedgerError(.badSignature, "the intent's signature is malformed: \(error)")
        }
        guard signer == intent.account else {
            throw LedgerError(
                .badSignature, "the intent is not signed by \(intent.account) under this ledger's domain (chain \(domain.chainID))")
        }
    }
}
