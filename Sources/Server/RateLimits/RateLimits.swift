import HTTPTypes

/// The request-rate limits on the write routes: one table per client address (every write, signed in or not) and
/// one per account (writes of a signed-in account, counted once its token is known). Transfers of dataset files
/// (`PUT /v1/uploads/{id}/files/…`, `POST /v1/uploads/{id}/archive`) are held by the upload and account quotas
/// instead, since a dataset is thousands of files sent back to back.
public struct RateLimits: Sendable {
    public let client: RateLimiter
    public let account: RateLimiter

    public init(client: RateLimiter.Rule, account: RateLimiter.Rule) {
        self.client = RateLimiter(client)
        self.account = RateLimiter(account)
    }

    /// The defaults: per client address 20 writes a second with bursts of 100; per account 10 with bursts of 50.
    public static let defaultClient = RateLimiter.Rule(perSecond: 20, burst: 100)
    public static let defaultAccount = RateLimiter.Rule(perSecond: 10, burst: 50)

    /// Whether a request counts against the limits: a write, other than a transfer of dataset files.
    static func counts(_ method: HTTPRequest.Method, path: String) -> Bool {
        guard [.post, .put, .delete, .patch].contains(method) else { return false }
        let isTransfer = path.hasPrefix("/v1/uploads/") && (path.contains("/files/") || path.hasSuffix("/archive"))
        return !isTransfer
    }

    /// The refusal past a limit: 429 with `Retry-After` in whole seconds.
    static func refusal(_ wait: Duration, of whom: String) -> ErrorResponse {
        let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
        return ErrorResponse(
            status: .tooManyRequests, code: "rate_limited",
            message: "too many requests from this \(whom); wait \(seconds) s and try again"
        ).addingHeader(.retryAfter, String(seconds))
    }
}
