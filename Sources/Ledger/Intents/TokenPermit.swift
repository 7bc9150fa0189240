public import LightboxCrypto

/// An EIP-2612 permit that travels with an intent that moves the account's tokens on a chain: the signature letting
/// the Escrow draw the price of a Purchase (in the same call: `purchaseWithPermitBySig`) or the arbitration fee of an
/// OpenDispute (the permit is relayed to the token first), so one submission both approves and acts. Its value is
/// the amount drawn. The embedded ledger holds its tokens itself and ignores it.
public struct TokenPermit: Sendable, Equatable {
    /// The intents that draw the account's tokens, and may carry a permit.
    public static let intentTypes: Set<String> = ["Purchase", "OpenDispute"]

    /// What `action` draws from its account, which a permit sent with it allows: a purchase's price, a dispute's
    /// arbitration fee; `nil` for an action that draws nothing.
    public static func value(drawnBy action: LedgerAction, arbitrationFee: TokenAmount) -> TokenAmount? {
        switch action {
        case .purchase(_, let price, _, _): price
        case .openDispute: arbitrationFee
        default: nil
        }
    }

    /// The allowance granted to the spender, in token units.
    public let value: TokenAmount
    /// Unix seconds after which the token refuses the permit.
    public let deadline: UInt64
    /// The owner's 65-byte signature (r ‖ s ‖ v) over the token's `Permit` typed data.
    public let signature: [UInt8]

    public init(value: TokenAmount, deadline: UInt64, signature: [UInt8]) {
        self.value = value
        self.deadline = deadline
        self.signature = signature
    }

    /// The token's EIP-712 domain, as its `eip712Domain()` (EIP-5267) reports it.
    public struct Domain: Sendable, Equatable {
        public let name: String
        public let version: String
        public let chainID: UInt64
        public let token: EthereumAddress

        public init(name: String, version: String, chainID: UInt64, token: EthereumAddress) {
            self.name = name
            self.version = version
            self.chainID = chainID
            self.token = token
        }
    }

    /// `Permit(owner, spender, value, nonce, deadline)` as EIP-2612 defines it.
    public static func typedData(owner: EthereumAddress, spender: EthereumAddress, value: TokenAmount, nonce: UInt64, deadline: UInt64,
                                 domain: Domain) -> EIP712.TypedData {
        EIP712.TypedData(
            types: ["Permit": [.init("owner", "address"), .init("spender", "address"), .init("value", "uint256"), .init("nonce", "uint256"),
                               .init("deadline", "uint256")]],
            primaryType: "Permit",
            domain: ["name": .string(domain.name), "version": .string(domain.version), "chainId": .uint(domain.chainID),
                     "verifyingContract": .address(domain.token)],
            message: ["owner": .address(owner), "spender": .address(spender), "value": value.eip712, "nonce": .uint(nonce),
                      "deadline": .uint(deadline)])
    }

    /// Signs a permit with the owner's key.
    public static func sign(by key: Secp256k1.PrivateKey, spender: EthereumAddress, value: TokenAmount, nonce: UInt64, deadline: UInt64,
                            domain: Domain) throws -> TokenPermit {
        let data = typedData(owner: EthereumAddress(publicKey: key.publicKey), spender: spender, value: value, nonce: nonce,
                             deadline: deadline, domain: domain)
        return TokenPermit(value: value, deadline: deadline, signature: try key.sign(digest: try data.digest()).ethereumBytes)
    }

    var json: JSONValue {
        .object(["value": .string(value.description), "deadline": .number(deadline), "signature": .string("0x" + signature.hexString)])
    }

    init(json: JSONValue) throws(LedgerError) {
        guard let valueText = json["value"]?.string, let units = UInt128(valueText), case .number(let deadline)? = json["deadline"],
              let signatureText = json["signature"]?.string, signatureText.hasPrefix("0x"),
              let signature = [UInt8](hexString: String(signatureText.dropFirst(2))), signature.count == 65
        else {
            throw LedgerError(.invalidIntent, "a permit is {\"value\": units as a decimal string, \"deadline\": Unix seconds, \"signature\": 65 bytes as 0x-hex}")
        }
        self.init(value: TokenAmount(units: units), deadline: deadline, signature: signature)
    }
}
