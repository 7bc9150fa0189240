import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOCore
import NIOHTTP1
import Synchronization

/// Talks to a Lightbox server's API for one account: signs in with the account key (the server's EIP-4361
/// challenge, signed with `personal_sign`), sends JSON and files, and signs intents locally — the key never leaves
/// this process. Requests and answers are the `MarketAPI` types the server encodes.
final class MarketClient: Sendable {
    let server: String
    let keys: AccountKeys?
    /// The HTTP client requests go through (the process's shared one unless given: it keeps at most 8
    /// connections per server, which a load of many buyers from one process would queue behind).
    let http: HTTPClient

    /// On a chain: the payment token's permit domain, the Escrow (the spender) and the arbitration fee.
    struct PermitTerms: Sendable {
        let domain: TokenPermit.Domain
        let spender: EthereumAddress
        let arbitrationFee: TokenAmount
    }

    /// What the client learns as it goes: the bearer token, the EIP-712 domains and the permit terms.
    private struct Session: Sendable {
        var token: String?
        var ledger: LedgerResponse?
    }

    private let session = Mutex(Session())

    init(server: String, keys: AccountKeys?, http: HTTPClient = .shared) {
        self.server = server
        self.keys = keys
        self.http = http
    }

    var address: EthereumAddress? { keys?.address }
    var token: String? { session.withLock { $0.token } }

    func requireKeys() throws -> AccountKeys {
        guard let keys else { throw CommandError("this needs an account key: give --key NAME") }
        return keys
    }

    /// Signs in: challenge, signature, bearer token.
    func signIn() async throws {
        let keys = try requireKeys()
        let challenge = try await send(.POST, "/v1/auth/challenge", json: ChallengeRequest(address: keys.address.description), as: ChallengeResponse.self)
        let signature = try SignInMessage.sign(challenge.message, with: keys.signing)
        let issued = try await send(
            .POST, "/v1/auth/token", json: TokenRequest(message: challenge.message, signature: "0x" + signature.hexString), as: TokenResponse.self)
        session.withLock { $0.token = issued.token }
    }

    // MARK: Requests

    /// `GET path`, decoded as `T`.
    func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try decode(T.self, try await raw(.GET, path), path: path)
    }

    /// A request with a JSON body, its answer decoded as `T`.
    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, json: some Encodable, as type: T.Type = T.self) async throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try decode(T.self, try await raw(method, path, body: Array(try encoder.encode(json)), contentType: "application/json"), path: path)
    }

    /// A request with raw bytes (a file, or an intent already in its wire form), its answer decoded as `T`.
    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, bytes: [UInt8]?, contentType: String? = nil, as type: T.Type = T.self) async throws -> T {
        try decode(T.self, try await raw(method, path, body: bytes, contentType: contentType), path: path)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw CommandError(
                "the server at \(server) answered \(path.split(separator: "?").first ?? "") with something this client cannot read; "
                    + "are the server and the client the same version? (`lightbox --version`)")
        }
    }

    /// Sends a request and returns its body bytes.
    /// - Throws: ``CommandError`` with the server's message for any status other than 2xx.
    func raw(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(300))
        } catch {
            throw CommandError("cannot reach the server at \(server) (\(error)); start it with `lightbox serve` or give --server URL")
        }
        var bytes = [UInt8]()
        for try await buffer in response.body { bytes += buffer.readableBytesView }
        guard (200..<300).contains(response.status.code) else {
            if let refusal = try? JSONDecoder().decode(APIError.self, from: Data(bytes)) {
                throw CommandError("the server refused (\(response.status.code) \(refusal.error.code)): \(refusal.error.message)")
            }
            throw CommandError("the server refused (\(response.status.code)): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
        return bytes
    }

    // MARK: Intents

    /// Which ledger the server runs (asked once).
    func ledger() async throws -> LedgerResponse {
        if let known = session.withLock({ $0.ledger }) { return known }
        let ledger = try await get("/v1/ledger", as: LedgerResponse.self)
        session.withLock { $0.ledger = ledger }
        return ledger
    }

    /// The EIP-712 domain the server's ledger takes intents of `type` in: one for every type on an embedded ledger;
    /// on a chain, the contract that executes the type.
    func intentDomain(for type: String) async throws -> IntentDomain {
        let ledger = try await ledger()
        let address = ledger.domains[type] ?? ledger.verifyingContract
        guard let contract = try? EthereumAddress(address) else { throw CommandError("the server named no ledger contract for \(type) intents") }
        return IntentDomain(chainID: ledger.chainID, verifyingContract: contract)
    }

    /// On a chain, what a permit of the payment token is signed under; nil on an embedded ledger.
    func permitTerms() async throws -> PermitTerms? {
        let ledger = try await ledger()
        guard let permit = ledger.permit else { return nil }
        guard let token = try? EthereumAddress(permit.verifyingContract), let spender = try? EthereumAddress(permit.spender),
              let fee = try? TokenAmount(units: ledger.arbitrationFeeUnits)
        else { throw CommandError("the server's permit terms cannot be read") }
        return PermitTerms(
            domain: TokenPermit.Domain(name: permit.name, version: permit.version, chainID: permit.chainID, token: token),
            spender: spender, arbitrationFee: fee)
    }

    /// What submitting an intent answers: applied now, or kept to be relayed later.
    enum Submitted {
        case applied(IntentReceipt)
        case queued(String)

        /// The receipt, or an error saying the intent waits.
        func receipt() throws -> IntentReceipt {
            switch self {
            case .applied(let receipt): return receipt
            case .queued(let reason): throw CommandError("the intent is kept and will be applied later: \(reason)")
            }
        }
    }

    /// Signs `action` with the account's next nonce (at the contract that executes it) and submits it; returns the
    /// ledger's receipt.
    @discardableResult
    func submit(_ action: LedgerAction) async throws -> IntentReceipt {
        let keys = try requireKeys()
        let domain = try await intentDomain(for: action.typeName)
        let account = try await get("/v1/account", as: AccountResponse.self)
        let nonce = account.nonces.first { (try? EthereumAddress($0.key)) == domain.verifyingContract }?.value ?? account.nonce
        let deadline = UInt64(Date().timeIntervalSince1970) + 600
        let intent = Intent(action, account: keys.address, nonce: nonce, deadline: deadline)
        var signed = try intent.signed(by: keys.signing, domain: domain)
        // On a chain, what the Escrow draws from the account is approved with a permit signed here, in the same submission.
        if let terms = try await permitTerms(), let value = TokenPermit.value(drawnBy: action, arbitrationFee: terms.arbitrationFee) {
            signed.permit = try TokenPermit.sign(
                by: keys.signing, spender: terms.spender, value: value, nonce: account.permitNonce ?? 0, deadline: deadline, domain: terms.domain)
        }
        return try await post(intent: signed.wireJSON).receipt()
    }

    /// Posts a signed intent in its wire form.
    func post(intent wire: [UInt8], to path: String = "/v1/intents") async throws -> Submitted {
        let body = try await raw(.POST, path, body: wire, contentType: "application/json")
        if let receipt = try? JSONDecoder().decode(IntentReceipt.self, from: Data(body)) { return .applied(receipt) }
        return .queued(try decode(IntentQueued.self, body, path: path).message)
    }

    /// Signs an unsigned intent the server showed (a publication's `mint_intent`), after checking it acts for
    /// this account.
    func sign(shown intent: JSONValue) async throws -> [UInt8] {
        let keys = try requireKeys()
        let domain = try await intentDomain(for: intent["primaryType"]?.string ?? "")
        let unsigned = try SignedIntent(wireJSON: intent.canonicalBytes, domain: domain).intent
        guard unsigned.account == keys.address else { throw CommandError("the server asked to sign an intent for \(unsigned.account), not this account") }
        return try unsigned.signed(by: keys.signing, domain: domain).wireJSON
    }
}
