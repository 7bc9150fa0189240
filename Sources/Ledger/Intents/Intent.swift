public import LightboxCrypto

/// A state change an account asks for: an EIP-712 message of one of the ledger's intent types, with the acting
/// account, its next nonce and a deadline among its fields.
///
/// Every intent type has `account address`, `nonce uint256` and `deadline uint256` (Unix seconds) as its first
/// three fields, so replay, expiry and the signer can be checked the same way for all of them.
public struct Intent: Sendable {
    /// The EIP-712 primary type, e.g. `Purchase`.
    public let type: String
    /// The struct types the intent uses, its own included.
    public let types: [String: [EIP712.Field]]
    public let account: EthereumAddress
    public let nonce: UInt64
    public let deadline: UInt64
    /// The intent's own fields (beyond account, nonce and deadline).
    public let fields: [String: EIP712.Value]

    /// The fields every intent type starts with.
    public static let commonFields: [EIP712.Field] = [.init("account", "address"), .init("nonce", "uint256"), .init("deadline", "uint256")]

    public init(
        type: String, types: [String: [EIP712.Field]], account: EthereumAddress, nonce: UInt64, deadline: UInt64,
        fields: [String: EIP712.Value]
    ) throws(LedgerError) {
        guard let own = types[type], Array(own.prefix(3)) == Self.commonFields else {
            throw LedgerError(.invalidIntent, "intent type \(type) must start with account, nonce and deadline")
        }
        self.type = type
        self.types = types
        self.account = account
        self.nonce = nonce
        self.deadline = deadline
        self.fields = fields
    }

    /// The typed data to sign under `domain`.
    public func typedData(_ domain: IntentDomain) -> EIP712.TypedData {
        var message = fields
        message["account"] = .address(account)
        message["nonce"] = .uint(nonce)
        message["deadline"] = .uint(deadline)
        return EIP712.TypedData(types: types, primaryType: type, domain: domain.values, message: message)
    }

    /// Signs the intent with the account's key.
    /// - Throws: ``LedgerError`` `.invalidIntent` when the key is not the account's or the fields do not fit the type.
    public func signed(by key: Secp256k1.PrivateKey, domain: IntentDomain) throws(LedgerError) -> SignedIntent {
        guard EthereumAddress(publicKey: key.publicKey) == account else {
            throw LedgerError(.invalidIntent, "the key does not belong to \(account), the account the intent acts for")
        }
        do {
            let digest = try typedData(domain).digest()
            return SignedIntent(intent: self, domain: domain, signature: try key.sign(digest: digest).ethereumBytes)
        } catch {
            throw LedgerError(.invalidIntent, "the intent does not fit its type: \(error)")
        }
    }
}

/// An intent with the domain it was signed under (as eth_signTypedData sends it) and the 65-byte signature
/// (r ‖ s ‖ v) of its account.
public struct SignedIntent: Sendable {
    public let intent: Intent
    public let domain: IntentDomain
    public let signature: [UInt8]
    /// A Purchase's EIP-2612 permit for the Escrow, on a chain (``TokenPermit``).
    public var permit: TokenPermit?

    public init(intent: Intent, domain: IntentDomain, signature: [UInt8], permit: TokenPermit? = nil) {
        self.intent = intent
        self.domain = domain
        self.signature = signature
        self.permit = permit
    }
}
