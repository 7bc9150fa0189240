public import LightboxCrypto

/// An account's token balance, allowances it gave, operators it approved, and the nonce its next intent must carry.
public struct AccountRecord: Sendable, Equatable, Codable {
    public var balance: TokenAmount = .zero
    public var nonce: UInt64 = 0
    /// Allowances by spender (lower-case hex address).
    public var allowances: [String: TokenAmount] = [:]
    /// Accounts (lower-case hex addresses) that may deliver this account's sales for it.
    public var operators: Set<String> = []
    /// What the faucet has given this account in all.
    public var fauceted: TokenAmount = .zero

    public init() {}

    enum CodingKeys: String, CodingKey {
        case balance, nonce, allowances, operators, fauceted
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        balance = try container.decode(TokenAmount.self, forKey: .balance)
        nonce = try container.decode(UInt64.self, forKey: .nonce)
        allowances = try container.decode([String: TokenAmount].self, forKey: .allowances)
        // Records written before operators existed have none.
        operators = try container.decodeIfPresent(Set<String>.self, forKey: .operators) ?? []
        fauceted = try container.decodeIfPresent(TokenAmount.self, forKey: .fauceted) ?? .zero
    }

    /// Whether `account` may act for this one as an operator.
    public func approves(_ account: EthereumAddress) -> Bool { operators.contains(account.key) }
}

/// A listing token of the DatasetRegistry (ERC-721 style, ids from 1).
public struct ListingRecord: Sendable, Equatable, Codable {
    public let id: UInt64
    /// Who minted it: royalties go here for good.
    public let creator: EthereumAddress
    public var owner: EthereumAddress
    /// The UnixFS root of the encrypted dataset.
    public let contentRoot: String
    /// The CID of the manifest of plaintext file hashes.
    public let manifestCID: String
    public let reportCID: String
    public let reportHash: [UInt8]
    public let score: UInt64
    /// The QA key that attested the report (its 20-byte address; an Ed25519 key of 32 bytes on listings minted before
    /// attestations were EIP-712), and its signature.
    public let attestationKey: [UInt8]
    public let attestationSignature: [UInt8]
    public let terms: LicenceTerms
    public let termsHash: [UInt8]
    public var price: TokenAmount
    /// EIP-2981 style royalty on transfers of the listing token.
    public let royalty: BasisPoints
    public var paused: Bool
    public var delisted: Bool
    public let mintedAt: UInt64
    /// An open offer of the listing token.
    public var offer: Offer?

    public struct Offer: Sendable, Equatable, Codable {
        /// The zero address: anyone may take it.
        public let to: EthereumAddress
        public let price: TokenAmount
    }

    /// Whether a purchase may be made now.
    public var isForSale: Bool { !paused && !delisted }
}

/// One purchase: its escrow and the licence it issued (they share the id).
public struct PurchaseRecord: Sendable, Equatable, Codable {
    public let id: UInt64
    public let listingID: UInt64
    public let buyer: EthereumAddress
    /// The listing's owner when it was bought: who delivers and is paid.
    public let seller: EthereumAddress
    public let price: TokenAmount
    /// The platform fee when it was bought.
    public let feeBps: BasisPoints
    public let termsHash: [UInt8]
    /// The buyer's X25519 key that the content key is sealed to.
    public let buyerKey: [UInt8]
    public let purchasedAt: UInt64
    public let deliveryDeadline: UInt64
    public var escrow: EscrowState
    public var sealedKey: [UInt8]?
    public var deliveredAt: UInt64?
    public var acceptanceDeadline: UInt64?
    public var dispute: Dispute?
    /// When the licence ends (Unix seconds); nil for a perpetual one.
    public let licenceExpiresAt: UInt64?
    public var licenceRevoked: Bool

    public enum EscrowState: String, Sendable, Codable {
        /// The price is held; the seller has not delivered yet.
        case awaitingDelivery
        /// Delivered; the buyer may accept or dispute until the acceptance deadline.
        case delivered
        /// With the assigned arbiter.
        case disputed
        /// Paid out to the seller (accepted, released at the deadline, or ruled).
        case released
        /// Paid back to the buyer in full.
        case refunded
        /// Divided by a ruling.
        case split
    }

    public struct Dispute: Sendable, Equatable, Codable {
        public let openedBy: EthereumAddress
        public let arbiter: EthereumAddress
        public let openedAt: UInt64
        public let evidenceDeadline: UInt64
        /// The arbitration fee the opener deposited.
        public let fee: TokenAmount
        public var evidence: [Evidence]
        /// The buyer's share of the price in the ruling.
        public var buyerShare: BasisPoints?
    }

    public struct Evidence: Sendable, Equatable, Codable {
        public let party: EthereumAddress
        /// ERC-1497 evidence JSON, by CID.
        public let cid: String
        public let at: UInt64
    }

    /// Whether the escrow still holds the price.
    public var isOpen: Bool { escrow == .awaitingDelivery || escrow == .delivered || escrow == .disputed }

    /// What the escrow holds now: the price while open, plus a dispute's deposited fee until the ruling.
    public var held: TokenAmount {
        guard isOpen else { return .zero }
        return price + (dispute?.fee ?? .zero)
    }

    public enum LicenceStatus: String, Sendable, Codable {
        case active, expired, revoked
    }

    /// The licence's status at `now`.
    public func licenceStatus(at now: UInt64) -> LicenceStatus {
        if licenceRevoked { return .revoked }
        if let end = licenceExpiresAt, now >= end { return .expired }
        return .active
    }
}
