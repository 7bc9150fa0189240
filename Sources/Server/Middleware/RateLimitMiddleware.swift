import Hummingbird

/// Answers 429 with `Retry-After` to a client address past its write rate (see ``RateLimits``).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = LightboxRequestContext
    let limits: RateLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if RateLimits.counts(request.method, path: request.uri.path), let wait = limits.client.admit(context.clientAddress) {
            throw RateLimits.refusal(wait, of: "client address")
        }
        var context = context
        context.rateLimits = limits
        return try await next(request, context)
    }
}
