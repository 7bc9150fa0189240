import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-Id` when it is sane, else a new one; echoed in the response
/// and attached to every log line of the request as `request.id`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = LightboxRequestContext
    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let id = request.headers[Self.header].flatMap(Self.accept) ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request.id"] = "\(id)"
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = id
            return response
        } catch let error as ErrorResponse {
            throw error.addingHeader(Self.header, id)
        }
    }

    /// Accepts caller ids of 1–128 characters from a safe set, so they cannot inject into logs.
    private static func accept(_ value: String) -> String? {
        guard (1...128).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else { return nil }
        return value
    }
}
