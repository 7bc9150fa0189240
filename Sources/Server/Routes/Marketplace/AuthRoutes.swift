import Foundation
import Hummingbird
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace

/// Sign-in with the account key: `POST /v1/auth/challenge` gives an EIP-4361 message to sign, `POST
/// /v1/auth/token` exchanges the signed message for a bearer token; `GET /v1/account` says who the token is and
/// what the ledger lets it do; `GET /v1/ledger` gives the EIP-712 domain intents are signed under.
struct AuthRoutes {
    let market: Marketplace

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/auth/challenge") { request, context in
            let body = try await MarketplaceHTTP.body(request, as: ChallengeRequest.self)
            guard let address = try? EthereumAddress(body.address) else {
                throw MarketplaceHTTP.badRequest("address must be an account address: 0x and 40 hex digits")
            }
            let message = try await market.sessions.challenge(for: address, logger: context.logger)
            return try MarketplaceHTTP.json(
                ChallengeResponse(message: message.text, nonce: message.nonce, expiresAt: message.expiresAt.formatted(.iso8601)))
        }
        router.post("v1/auth/token") { request, context in
            let body = try await MarketplaceHTTP.body(request, as: TokenRequest.self)
            guard body.signature.hasPrefix("0x"), let signature = [UInt8](hexString: String(body.signature.dropFirst(2))) else {
                throw MarketplaceHTTP.badRequest("signature must be 0x-hex (65 bytes from personal_sign)")
            }
            let session = try await MarketplaceHTTP.mapping {
                try await market.sessions.signIn(message: body.message, signature: signature, logger: context.logger)
            }
            let roles = try await Role.of(session.address, on: market.ledger)
            return try MarketplaceHTTP.json(
                TokenResponse(
                    token: session.token, address: session.address.description,
                    expiresAt: session.expiresAt.formatted(.iso8601), roles: roles))
        }
        router.get("v1/account") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let (record, governance) = try await market.ledger.accountAndGovernance(account)
            let nonces = try await market.ledger.intentNonces(of: account, record: record)
            return try MarketplaceHTTP.json(
                AccountResponse(
                    address: account.description, roles: Role.of(account, governance: governance, parameters: market.ledger.parameters), balance: record.balance.tokenString,
                    balanceUnits: record.balance.description, nonce: record.nonce, nonces: Dictionary(uniqueKeysWithValues: nonces.map { ($0.key.description, $0.value) }),
                    permitNonce: try await (market.ledger as? EVMLedger)?.permitNonce(of: account)))
        }
        router.get("v1/ledger") { _, _ in
            let ledger = market.ledger
            let parameters = ledger.parameters
            var contracts: [String: String]?
            var permit: PermitDomain?
            if let chain = ledger as? EVMLedger {
                let addresses = chain.addresses
                contracts = Dictionary(uniqueKeysWithValues: addresses.named.map { ($0.name, $0.address.description) })
                permit = chain.permitDomain.map {
                    PermitDomain(name: $0.name, version: $0.version, chainID: $0.chainID, verifyingContract: $0.token.description,
                                 spender: addresses.escrow.description)
                }
            }
            return try MarketplaceHTTP.json(
                LedgerResponse(
                    ledgerID: parameters.ledgerID, chainID: parameters.chainID,
                    verifyingContract: ledger.domain(for: "Purchase").verifyingContract.description, devMode: parameters.devMode,
                    treeSize: try await ledger.log?.size(), backend: contracts == nil ? "embedded" : "evm",
                    arbitrationFeeUnits: parameters.arbitrationFee.description,
                    domains: Dictionary(uniqueKeysWithValues: LedgerAction.ownFields.keys.map { ($0, ledger.domain(for: $0).verifyingContract.description) }),
                    contracts: contracts, permit: permit))
        }
    }
}
