import Foundation
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Persistence
import Testing

/// Sign-in with the account key over real HTTP: a challenge is good once, for its own account, unaltered and
/// unexpired; a token is refused once forged or expired.
@Suite("Marketplace: sign-in")
struct SignInTests {
    @Test("challenges are single-use, bound to their account and text, and expire; expired and forged tokens are refused", arguments: Backend.allCases)
    func signIn(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let key = Secp256k1.PrivateKey.random()
            let address = EthereumAddress(publicKey: key.publicKey).description
            #expect(try await node.call(.POST, "/v1/auth/challenge", json: ["address": "0x1234"]).status == 400)

            func challenge() async throws -> String {
                let reply = try await node.call(.POST, "/v1/auth/challenge", json: ["address": address])
                return try #require(reply.json["message"] as? String)
            }
            func exchange(_ message: String, signedBy signer: Secp256k1.PrivateKey = key) async throws -> MarketplaceHarness.Reply {
                let signature = try SignInMessage.sign(message, with: signer)
                return try await node.call(.POST, "/v1/auth/token", json: ["message": message, "signature": "0x" + signature.hexString])
            }

            let message = try await challenge()
            let first = try await exchange(message)
            let token = try #require(first.json["token"] as? String)
            #expect(first.json["address"] as? String == address)
            let account = try await node.call(.GET, "/v1/account", token: token)
            #expect(account.status == 200 && account.json["address"] as? String == address)

            let replayed = try await exchange(message)
            #expect(replayed.status == 401 && replayed.errorCode == "unauthenticated", "a challenge is good once")
            #expect(try await exchange(try await challenge(), signedBy: .random()).status == 401, "signed by another account")
            let altered = try await challenge().replacingOccurrences(of: "Expiration Time: 20", with: "Expiration Time: 21")
            #expect(try await exchange(altered).status == 401, "the text changed after it was issued")

            let stale = try await challenge()
            let past = Int64(Date().timeIntervalSince1970) - 1
            _ = try await node.market.database.execute(
                "UPDATE market_challenges SET expires_at = \(past) WHERE address = \(address) AND used = \(false)", logger: MarketplaceHarness.logger)
            #expect(try await exchange(stale).status == 401, "an expired challenge")

            _ = try await node.market.database.execute(
                "UPDATE market_tokens SET expires_at = \(past) WHERE token_hash = \(SHA256.hash(Array(token.utf8)).hexString)",
                logger: MarketplaceHarness.logger)
            let expired = try await node.call(.GET, "/v1/account", token: token)
            #expect(expired.status == 401 && String(decoding: expired.body, as: UTF8.self).contains("expired"))
            let forged = try await node.call(.GET, "/v1/account", token: String(token.reversed()))
            #expect(forged.status == 401 && String(decoding: forged.body, as: UTF8.self).contains("not one this server issued"))
            #expect(try await node.call(.GET, "/v1/account").status == 401)
        }
    }
}
