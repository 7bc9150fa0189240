import Foundation
import Hummingbird
import Ledger
import LightboxCrypto
import Marketplace

/// Sign-in with the account key: `POST /v1/auth/challenge` gives an EIP-4361 message to sign, `POST
/// /v1/auth/token` exchanges the signed message for a bearer token; `GET /v1/account` says who the token is and
/// what the ledger lets it do; `GET /v1/ledger` gives the EIP-712 domain intents are signed under.
struct AuthRoutes {
    let market: Marketplace

    struct ChallengeRequest: Decodable { let address: String }
    struct ChallengeResponse: Encodable {
        let message: String
        let nonce: String
        let expires_at: String
    }
    struct TokenRequest: Decodable {
        let message: String
        let signature: String
    }
    struct TokenResponse: Encodable {
        let token: String
        let address: String
        let expires_at: String
        let roles: [Role]
    }
    struct AccountResponse: Encodable {
        let address: String
        let roles: [Role]
        let balance: String
        let balance_units: String
        let nonce: UInt64
    }
    struct LedgerResponse: Encodable {
        let ledger_id: String
        let chain_id: UInt64
        let verifying_contract: String
        let dev_mode: Bool
        let tree_size: UInt64?
    }

    func register(on router: Router<LightboxRequestContext>) {
        router.post("v1/auth/challenge") { request, context in
            let body = try await MarketplaceHTTP.body(request, as: ChallengeRequest.self)
            guard let address = try? EthereumAddress(body.address) else {
                throw MarketplaceHTTP.badRequest("address must be an account address: 0x and 40 hex digits")
            }
            let message = try await market.sessions.challenge(for: address, logger: context.logger)
            return try MarketplaceHTTP.json(
                ChallengeResponse(message: message.text, nonce: message.nonce, expires_at: message.expiresAt.formatted(.iso8601)))
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
                    expires_at: session.expiresAt.formatted(.iso8601), roles: roles))
        }
        router.get("v1/account") { request, context in
            let account = try await MarketplaceHTTP.account(request, market: market, context: context)
            let record = try await market.ledger.account(account)
            return try MarketplaceHTTP.json(
                AccountResponse(
                    address: account.description, roles: try await Role.of(account, on: market.ledger), balance: record.balance.tokenString,
                    balance_units: record.balance.description, nonce: record.nonce))
        }
        router.get("v1/ledger") { _, _ in
            let parameters = market.ledger.parameters
            return try MarketplaceHTTP.json(
                LedgerResponse(
                    ledger_id: parameters.ledgerID, chain_id: parameters.chainID,
                    verifying_contract: parameters.domain.verifyingContract.description, dev_mode: parameters.devMode,
                    tree_size: try await market.ledger.log?.size()))
        }
    }
}
