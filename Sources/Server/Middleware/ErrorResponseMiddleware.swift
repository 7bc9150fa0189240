import HTTPTypes
import Hummingbird
import Logging
import Marketplace
import NIOCore
import Node
import Persistence

/// Turns every error into the one JSON error shape: `{"error":{"code":"…","message":"…","details":{}}}`.
struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = LightboxRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await Self.mapped { try await next(request, context) }
        } catch let error as ErrorResponse {
            error.log(to: context.logger)
            throw error
        }
    }

    /// Runs `body`, turning every error into an ``ErrorResponse``: the services' errors into their statuses, a
    /// database that is busy or out of reach into a 503 to retry, anything else into a 500 that names no internals
    /// (the cause is kept for the log).
    static func mapped(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as ErrorResponse {
            throw error
        } catch let error as MarketplaceError {
            throw MarketplaceHTTP.response(error)
        } catch let error as DatabaseError where [.busy, .connectionLost, .unreachable].contains(error.code) {
            // The database is slow, locked or out of reach for a moment: the client may try again.
            var response = ErrorResponse(
                status: .serviceUnavailable, code: "unavailable",
                message: "the node's database did not answer in time; try the request again shortly"
            ).addingHeader(.retryAfter, "2")
            response.cause = "\(error)"
            throw response
        } catch let error as HTTPError {
            throw ErrorResponse(status: error.status, code: Self.code(for: error.status), message: error.body ?? Self.defaultMessage(error.status))
        } catch let error as any HTTPResponseError {
            throw ErrorResponse(status: error.status, code: Self.code(for: error.status), message: Self.defaultMessage(error.status))
        } catch {
            var response = ErrorResponse(status: .internalServerError, code: "internal", message: "internal error; see the server log")
            response.cause = "\(error)"
            throw response
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .contentTooLarge: "too_large"
        case .serviceUnavailable: "unavailable"
        default: status.code >= 500 ? "internal" : "bad_request"
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such resource"
        case .methodNotAllowed: "this method is not allowed on this resource"
        default: status.reasonPhrase
        }
    }
}

/// An error already in Lightbox's JSON shape.
struct ErrorResponse: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var headers: HTTPFields = [:]
    /// For a 500 (or a 503 from the database): the error behind it, for the server's log only.
    var cause: String?

    /// Logs what the server's operator should see: a 500 as an error, with the error behind it; a 503 from the
    /// database as a warning. Other answers are the client's to read.
    func log(to logger: Logger) {
        if status == .internalServerError {
            logger.error("unhandled error", metadata: ["error": "\(cause ?? message)"])
        } else if status == .serviceUnavailable, let cause {
            logger.warning("database unavailable", metadata: ["error": "\(cause)"])
        }
    }

    func addingHeader(_ name: HTTPField.Name, _ value: String) -> ErrorResponse {
        var copy = self
        copy.headers[name] = value
        return copy
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(
            status,
            #"{"error":{"code":\#(JSONText.quote(code)),"message":\#(JSONText.quote(message)),"details":{}}}"#,
            headers: headers
        )
    }
}
