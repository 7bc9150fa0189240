import HTTPTypes
import Hummingbird
import LightboxCrypto
import Logging

/// Guards `/admin`: requests need `Authorization: Bearer <admin.token>`. With no token configured the admin API is off.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = LightboxRequestContext
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let given = request.headers[.authorization].flatMap { value -> String? in
            value.hasPrefix("Bearer ") ? String(value.dropFirst("Bearer ".count)) : nil
        }
        guard let token, given != nil else {
            throw ErrorResponse(
                status: given == nil ? .unauthorized : .forbidden, code: given == nil ? "unauthorized" : "forbidden",
                message: token == nil ? "the admin API is off; set admin.token to enable it" : "send Authorization: Bearer <admin token>",
                headers: [.wwwAuthenticate: "Bearer realm=\"lightbox-admin\""]
            )
        }
        guard let given, ConstantTime.equal(Array(given.utf8), Array(token.utf8)) else {
            throw ErrorResponse(
                status: .unauthorized, code: "unauthorized", message: "send Authorization: Bearer <admin token>",
                headers: [.wwwAuthenticate: "Bearer realm=\"lightbox-admin\""]
            )
        }
        return try await next(request, context)
    }
}
