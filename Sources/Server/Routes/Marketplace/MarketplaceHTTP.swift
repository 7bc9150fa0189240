import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import NIOCore
import Node

/// What every marketplace route shares: reading JSON bodies, writing JSON, the bearer token, and the mapping of
/// the services' errors to statuses in the one error shape.
enum MarketplaceHTTP {
    /// The account of the request's bearer token; a write (other than a file transfer) is counted against the
    /// account's rate limit.
    /// - Throws: 401 when the token is missing, unknown or expired; 429 past the account's rate.
    static func account(_ request: Request, market: Marketplace, context: LightboxRequestContext) async throws -> EthereumAddress {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ErrorResponse(
                status: .unauthorized, code: "unauthenticated",
                message: "this needs a bearer token: sign in with POST /v1/auth/challenge, then POST /v1/auth/token"
            ).addingHeader(.wwwAuthenticate, "Bearer")
        }
        let account = try await mapping { try await market.sessions.account(token: String(header.dropFirst(7)), logger: context.logger) }
        if let limits = context.rateLimits, RateLimits.counts(request.method, path: request.uri.path),
            let wait = limits.account.admit(account.description)
        {
            throw RateLimits.refusal(wait, of: "account")
        }
        return account
    }

    /// Decodes a JSON body of at most `limit` bytes.
    static func body<T: Decodable>(_ request: Request, as type: T.Type, limit: Int = 1 << 20) async throws -> T {
        let bytes = try await jsonBytes(request, limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw ErrorResponse(status: .badRequest, code: "bad_request", message: "the JSON body does not fit: \(describe(error))")
        }
    }

    /// A JSON body's bytes: at most `limit` of them, nested at most ``JSONText/maximumRequestDepth`` deep.
    /// - Throws: 413 past the size, 400 past the depth.
    static func jsonBytes(_ request: Request, limit: Int = 1 << 20) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw ErrorResponse(status: .contentTooLarge, code: "too_large", message: "the JSON body is larger than \(limit) bytes")
        }
        let bytes = Array(buffer: buffer)
        let depth = JSONText.nestingDepth(bytes)
        guard depth <= JSONText.maximumRequestDepth else {
            throw badRequest("the JSON body is nested \(depth) levels deep; at most \(JSONText.maximumRequestDepth) are read")
        }
        return bytes
    }

    /// A JSON response of an encodable value (keys sorted).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        JSONResponse.make(status, try encode(value))
    }

    /// A JSON response of an object whose members are already JSON text (for embedding signed documents verbatim).
    static func rawObject(_ members: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let body = members.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\($0.value)" }.joined(separator: ",")
        return JSONResponse.make(status, "{\(body)}")
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Runs `body`, turning the services' errors into responses.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MarketplaceError {
            throw response(error)
        } catch let error as LedgerError {
            throw response(error)
        } catch let error as EVMError {
            // The chain's node: unreachable, overloaded, or refusing the node's own transactions.
            throw ErrorResponse(status: .serviceUnavailable, code: "chain_unavailable",
                                message: "the ledger's chain could not be used: \(error.message)")
        }
    }

    static func response(_ error: MarketplaceError) -> ErrorResponse {
        let (status, code): (HTTPResponse.Status, String) =
            switch error.code {
            case .unauthenticated: (.unauthorized, "unauthenticated")
            case .forbidden: (.forbidden, "forbidden")
            case .notFound: (.notFound, "not_found")
            case .conflict: (.conflict, "conflict")
            case .tooLarge: (.contentTooLarge, "too_large")
            case .unprocessable: (.unprocessableContent, "unprocessable")
            case .rateLimited: (.tooManyRequests, "rate_limited")
            default: (.badRequest, "bad_request")
            }
        let response = ErrorResponse(status: status, code: code, message: error.message)
        return error.code == .rateLimited ? response.addingHeader(.retryAfter, "60") : response
    }

    /// A refusal by the ledger: who may not do it (403), what does not exist (404), what is not possible in the
    /// record's state or at this time (409), and everything else about the intent itself (422).
    static func response(_ error: LedgerError) -> ErrorResponse {
        let status: HTTPResponse.Status =
            switch error.code {
            case .unauthorised: .forbidden
            case .unknown: .notFound
            case .invalidState, .tooEarly, .tooLate: .conflict
            default: .unprocessableContent
            }
        return ErrorResponse(status: status, code: "ledger_refused", message: error.message)
    }

    static func notFound(_ what: String) -> ErrorResponse {
        ErrorResponse(status: .notFound, code: "not_found", message: what)
    }

    static func forbidden(_ what: String) -> ErrorResponse {
        ErrorResponse(status: .forbidden, code: "forbidden", message: what)
    }

    static func badRequest(_ what: String) -> ErrorResponse {
        ErrorResponse(status: .badRequest, code: "bad_request", message: what)
    }

    /// What is wrong with a body, in the body's own terms: the field's path and the kind of value it needs, never
    /// the server's type names.
    private static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let components = context.codingPath.map(\.stringValue) + (key.map { [$0.stringValue] } ?? [])
            return components.isEmpty ? "the body" : components.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(path(context, key))"
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context)) must be \(kind(of: type))"
        case DecodingError.valueNotFound(let type, let context):
            return "\(path(context)) must be \(kind(of: type)), not null"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "\(path(context)) has a value that is not allowed"
        default:
            return "it is not what this route takes; see /openapi.yaml"
        }
    }

    /// A JSON kind for a Swift type, as a client would name it.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is any BinaryInteger.Type: "a whole number"
        case is any BinaryFloatingPoint.Type: "a number"
        case is any Collection.Type where !(type is any StringProtocol.Type):
            String(describing: type).hasPrefix("Dictionary") ? "an object" : "a list"
        default: "an object"
        }
    }
}
