public import Marketplace

/// `POST /v1/auth/challenge`.
public struct ChallengeRequest: Codable, Sendable {
    public let address: String
    public init(address: String) { self.address = address }
}

public struct ChallengeResponse: Codable, Sendable {
    public let message: String
    public let nonce: String
    public let expiresAt: String

    public init(message: String, nonce: String, expiresAt: String) {
        self.message = message
        self.nonce = nonce
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case message, nonce
        case expiresAt = "expires_at"
    }
}

/// `POST /v1/auth/token`: the challenge signed with `personal_sign`.
public struct TokenRequest: Codable, Sendable {
    public let message: String
    public let signature: String
    public init(message: String, signature: String) {
        self.message = message
        self.signature = signature
    }
}

public struct TokenResponse: Codable, Sendable {
    public let token: String
    public let address: String
    public let expiresAt: String
    public let roles: [Role]

    public init(token: String, address: String, expiresAt: String, roles: [Role]) {
        self.token = token
        self.address = address
        self.expiresAt = expiresAt
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case token, address, roles
        case expiresAt = "expires_at"
    }
}

/// `GET /v1/account`.
public struct AccountResponse: Codable, Sendable {
    public let address: String
    public let roles: [Role]
    public let balance: String
    public let balanceUnits: String
    public let nonce: UInt64
    /// The next nonce at each verifying contract (one on the embedded ledger; on a chain, each contract counts its
    /// own): an intent of type T carries `nonces[domains[T]]`.
    public let nonces: [String: UInt64]
    /// On a chain, the nonce of the account's next EIP-2612 permit of the payment token.
    public let permitNonce: UInt64?

    public init(
        address: String, roles: [Role], balance: String, balanceUnits: String, nonce: UInt64, nonces: [String: UInt64],
        permitNonce: UInt64?
    ) {
        self.address = address
        self.roles = roles
        self.balance = balance
        self.balanceUnits = balanceUnits
        self.nonce = nonce
        self.nonces = nonces
        self.permitNonce = permitNonce
    }

    enum CodingKeys: String, CodingKey {
        case address, roles, balance, nonce, nonces
        case balanceUnits = "balance_units"
        case permitNonce = "permit_nonce"
    }
}

/// `GET /v1/ledger`: which ledger the node runs, and the EIP-712 domains intents are signed under.
public struct LedgerResponse: Codable, Sendable {
    public let ledgerID: String
    public let chainID: UInt64
    public let verifyingContract: String
    public let devMode: Bool
    public let treeSize: UInt64?
    /// `embedded` or `evm`.
    public let backend: String
    /// What opening a dispute deposits, in token units.
    public let arbitrationFeeUnits: String
    /// Each intent type's verifying contract.
    public let domains: [String: String]
    /// On a chain, the contracts' addresses by name.
    public let contracts: [String: String]?
    /// On a chain, what a buyer's EIP-2612 permit is signed under.
    public let permit: PermitDomain?

    public init(
        ledgerID: String, chainID: UInt64, verifyingContract: String, devMode: Bool, treeSize: UInt64?, backend: String,
        arbitrationFeeUnits: String, domains: [String: String], contracts: [String: String]?, permit: PermitDomain?
    ) {
        self.ledgerID = ledgerID
        self.chainID = chainID
        self.verifyingContract = verifyingContract
        self.devMode = devMode
        self.treeSize = treeSize
        self.backend = backend
        self.arbitrationFeeUnits = arbitrationFeeUnits
        self.domains = domains
        self.contracts = contracts
        self.permit = permit
    }

    enum CodingKeys: String, CodingKey {
        case backend, domains, contracts, permit
        case ledgerID = "ledger_id"
        case chainID = "chain_id"
        case verifyingContract = "verifying_contract"
        case devMode = "dev_mode"
        case treeSize = "tree_size"
        case arbitrationFeeUnits = "arbitration_fee_units"
    }
}

public struct PermitDomain: Codable, Sendable {
    public let name: String
    public let version: String
    public let chainID: UInt64
    public let verifyingContract: String
    public let spender: String

    public init(name: String, version: String, chainID: UInt64, verifyingContract: String, spender: String) {
        self.name = name
        self.version = version
        self.chainID = chainID
        self.verifyingContract = verifyingContract
        self.spender = spender
    }

    enum CodingKeys: String, CodingKey {
        case name, version, spender
        case chainID = "chain_id"
        case verifyingContract = "verifying_contract"
    }
}
