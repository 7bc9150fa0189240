public import Ledger
public import LightboxCrypto

/// What an account may do, read from the ledger: anyone signed in contributes and buys; arbiters are those
/// governance registered; the admin is the ledger's governance account.
public enum Role: String, Sendable, CaseIterable, Codable {
    case contributor, buyer, arbiter, admin

    /// The roles of `account` on `ledger`.
    public static func of(_ account: EthereumAddress, on ledger: any LedgerBackend) async throws -> [Role] {
        of(account, governance: try await ledger.governance(), parameters: ledger.parameters)
    }

    /// The roles of `account` under `governance` (the ledger's record, read) on the ledger of `parameters`.
    public static func of(_ account: EthereumAddress, governance: GovernanceRecord, parameters: LedgerParameters) -> [Role] {
        var roles: [Role] = [.contributor, .buyer]
        if governance.arbiters.contains(account) { roles.append(.arbiter) }
        if account == parameters.governance { roles.append(.admin) }
        return roles
    }
}
