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
    /// The account of the request's bearer token.
    /// - Throws: 401 when the token is missing, unknown or expired.
    static func account(_ request: Request, market: Marketplace, logger: Logger) async throws -> EthereumAddress {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ErrorResponse(
                status: .unauthorized, code: "unauthenticated",
                message: "this needs a bearer token: sign in with POST /v1/auth/challenge, then POST /v1/auth/token"
            ).addingHeader(.wwwAuthenticate, "Bearer")
        }
        return try await mapping { try await market.sessions.account(token: String(header.dropFirst(7)), logger: logger) }
    }

    /// Decodes a JSON body of at most `limit` bytes.
    static func body<T: Decodable>(_ request: Request, as type: T.Type, limit: Int = 1 << 20) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw ErrorResponse(status: .contentTooLarge, code: "too_large", message: "the JSON body is larger than \(limit) bytes")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(Array(buffer: buffer)))
        } catch {
            throw ErrorResponse(status: .badRequest, code: "bad_request", message: "the JSON body does not fit: \(describe(error))")
        }
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
            default: (.badRequest, "bad_request")
            }
        return ErrorResponse(status: status, code: code, message: error.message)
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

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
