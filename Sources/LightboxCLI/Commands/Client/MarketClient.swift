import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Marketplace
import NIOCore
import NIOHTTP1

/// Talks to a Lightbox server's API for one account: signs in with the account key (the server's EIP-4361
/// challenge, signed with `personal_sign`), sends JSON and files, and signs intents locally — the key never leaves
/// this process.
final class MarketClient: @unchecked Sendable {
    let server: String
    let keys: AccountKeys?
    private(set) var token: String?
    private var domains: [String: IntentDomain]?
    /// On a chain: the payment token's permit domain, the Escrow (the spender) and the arbitration fee.
    private var permitTerms: (domain: TokenPermit.Domain, spender: EthereumAddress, arbitrationFee: TokenAmount)?

    init(server: String, keys: AccountKeys?) {
        self.server = server
        self.keys = keys
    }

    var address: EthereumAddress? { keys?.address }

    /// A JSON object from the server.
    typealias Object = [String: Any]

    /// Signs in: challenge, signature, bearer token.
    func signIn() async throws {
        guard let keys else { throw CommandError("this needs an account key: give --key NAME") }
        let challenge = try await call(.POST, "/v1/auth/challenge", json: ["address": keys.address.description])
        guard let message = challenge["message"] as? String else { throw CommandError("the server sent no sign-in message") }
        let signature = try SignInMessage.sign(message, with: keys.signing)
        let session = try await call(.POST, "/v1/auth/token", json: ["message": message, "signature": "0x" + signature.hexString])
        guard let token = session["token"] as? String else { throw CommandError("the server gave no token") }
        self.token = token
    }

    // MARK: Requests

    /// Sends a request and returns the JSON object it answers with.
    /// - Throws: ``CommandError`` with the server's message for any status other than 2xx.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, bytes: [UInt8]? = nil) async throws -> Object {
        let body = try await raw(method, path, json: json, bytes: bytes)
        guard !body.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? Object else {
            throw CommandError("the server at \(server) answered \(path) with something that is not a JSON object")
        }
        return object
    }

    /// Sends a request and returns its body bytes.
    func raw(_ method: HTTPMethod, _ path: String, json: Any? = nil, bytes: [UInt8]? = nil) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let bytes {
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        } catch {
            throw CommandError("cannot reach the server at \(server) (\(error)); start it with `lightbox serve` or give --server URL")
        }
        var body = [UInt8]()
        for try await buffer in response.body { body += buffer.readableBytesView }
        guard (200..<300).contains(response.status.code) else {
            let error = (try? JSONSerialization.jsonObject(with: Data(body)) as? Object)?["error"] as? Object
            let message = error?["message"] as? String ?? String(decoding: body.prefix(300), as: UTF8.self)
            throw CommandError("the server refused (\(response.status.code) \(error?["code"] as? String ?? "")): \(message)")
        }
        return body
    }

    // MARK: Intents

    /// The EIP-712 domain the server's ledger takes intents of `type` in: one for every type on an embedded ledger;
    /// on a chain, the contract that executes the type.
    func intentDomain(for type: String) async throws -> IntentDomain {
        if domains == nil {
            let ledger = try await call(.GET, "/v1/ledger")
            guard let chain = ledger["chain_id"] as? Int, let contract = (ledger["verifying_contract"] as? String).flatMap({ try? EthereumAddress($0) }) else {
                throw CommandError("the server did not say which ledger it runs")
            }
            var known = [String: IntentDomain]()
            for (name, address) in ledger["domains"] as? [String: String] ?? [:] {
                if let address = try? EthereumAddress(address) { known[name] = IntentDomain(chainID: UInt64(chain), verifyingContract: address) }
            }
            known[""] = IntentDomain(chainID: UInt64(chain), verifyingContract: contract)
            domains = known
            if let permit = ledger["permit"] as? Object, let name = permit["name"] as? String, let version = permit["version"] as? String,
               let token = (permit["verifying_contract"] as? String).flatMap({ try? EthereumAddress($0) }),
               let spender = (permit["spender"] as? String).flatMap({ try? EthereumAddress($0) }),
               let fee = (ledger["arbitration_fee_units"] as? String).flatMap({ try? TokenAmount(units: $0) })
            {
                permitTerms = (TokenPermit.Domain(name: name, version: version, chainID: UInt64(chain), token: token), spender, fee)
            }
        }
        return domains?[type] ?? domains![""]!
    }

    /// Signs `action` with the account's next nonce (at the contract that executes it) and submits it; returns the
    /// ledger's receipt.
    @discardableResult
    func submit(_ action: LedgerAction) async throws -> Object {
        guard let keys else { throw CommandError("this needs an account key: give --key NAME") }
        let domain = try await intentDomain(for: action.typeName)
        let account = try await call(.GET, "/v1/account")
        let nonces = account["nonces"] as? [String: Int] ?? [:]
        let nonce = nonces.first { (try? EthereumAddress($0.key)) == domain.verifyingContract }?.value ?? account["nonce"] as? Int ?? 0
        let deadline = UInt64(Date().timeIntervalSince1970) + 600
        let intent = Intent(action, account: keys.address, nonce: UInt64(nonce), deadline: deadline)
        var signed = try intent.signed(by: keys.signing, domain: domain)
        // On a chain, what the Escrow draws from the account is approved with a permit signed here, in the same submission.
        if let terms = permitTerms, let value = TokenPermit.value(drawnBy: action, arbitrationFee: terms.arbitrationFee) {
            let permitNonce = UInt64(account["permit_nonce"] as? Int ?? 0)
            signed.permit = try TokenPermit.sign(by: keys.signing, spender: terms.spender, value: value, nonce: permitNonce,
                                                 deadline: deadline, domain: terms.domain)
        }
        return try await call(.POST, "/v1/intents", bytes: signed.wireJSON)
    }

    /// Signs an unsigned intent the server showed (a publication's `mint_intent`), after checking it acts for
    /// this account.
    func sign(shown intent: Any) async throws -> [UInt8] {
        guard let keys else { throw CommandError("this needs an account key: give --key NAME") }
        let wire = Array(try JSONSerialization.data(withJSONObject: intent))
        let domain = try await intentDomain(for: (intent as? Object)?["primaryType"] as? String ?? "")
        let unsigned = try SignedIntent(wireJSON: wire, domain: domain).intent
        guard unsigned.account == keys.address else { throw CommandError("the server asked to sign an intent for \(unsigned.account), not this account") }
        return try unsigned.signed(by: keys.signing, domain: domain).wireJSON
    }
}
