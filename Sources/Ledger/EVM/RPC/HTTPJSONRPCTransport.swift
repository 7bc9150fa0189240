public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// JSON-RPC over HTTP(S): a time-out per attempt, and retries with exponential back-off when the endpoint is
/// overloaded (429, honouring `Retry-After`), failing (5xx) or unreachable. JSON-RPC requests Lightbox sends are
/// safe to repeat: reads are, and a raw transaction sent twice is the same transaction (the node says it already
/// knows it, which the client treats as sent).
public struct HTTPJSONRPCTransport: JSONRPCTransport {
    public struct Policy: Sendable {
        /// How long one attempt may take.
        public var timeout: Duration
        /// Attempts in all, the first included.
        public var attempts: Int
        /// The wait before the first retry; it doubles each time, up to `maximumBackoff`.
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        /// The largest response accepted.
        public var maximumResponseBytes: Int

        public init(timeout: Duration = .seconds(20), attempts: Int = 5, initialBackoff: Duration = .milliseconds(200),
                    maximumBackoff: Duration = .seconds(5), maximumResponseBytes: Int = 64 << 20) {
            self.timeout = timeout
            self.attempts = max(1, attempts)
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    let url: String
    let http: HTTPClient
    let policy: Policy
    public let endpoint: String

    /// - Parameter url: The endpoint, `http://` or `https://`; its user information and query (where providers put
    ///   API keys) are left out of every message.
    public init(url: String, http: HTTPClient, policy: Policy = Policy()) {
        self.url = url
        self.http = http
        self.policy = policy
        endpoint = Self.redacted(url)
    }

    public func post(_ body: [UInt8]) async throws(EVMError) -> [UInt8] {
        var backoff = policy.initialBackoff
        var lastFailure = ""
        for attempt in 1...policy.attempts {
            var wait = backoff
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await http.execute(request, timeout: .init(policy.timeout))
                let status = response.status.code
                let bytes = try await response.body.collect(upTo: policy.maximumResponseBytes)
                if status == 200 { return Array(buffer: bytes) }
                lastFailure = "HTTP \(status) \(String(buffer: bytes).prefix(160))"
                guard status == 429 || status >= 500 else {
                    throw EVMError(.transport, "the JSON-RPC endpoint \(endpoint) answered \(lastFailure); check the URL and any API key")
                }
                if status == 429, let seconds = response.headers.first(name: "Retry-After").flatMap(Int.init) {
                    wait = max(wait, .seconds(min(seconds, 60)))
                }
            } catch let error as EVMError {
                throw error
            } catch {
                lastFailure = "\(error)"
            }
            if attempt < policy.attempts {
                try? await Task.sleep(for: wait)
                if Task.isCancelled { break }
                backoff = min(backoff * 2, policy.maximumBackoff)
            }
        }
        throw EVMError(.transport, "the JSON-RPC endpoint \(endpoint) did not answer after \(policy.attempts) attempts (last: \(lastFailure)); check that the node is running and reachable")
    }

    /// The URL without user information or a query (API keys live in either).
    static func redacted(_ url: String) -> String {
        var text = Substring(url)
        if let query = text.firstIndex(of: "?") { text = text[..<query] }
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
            text = text[..<scheme.upperBound] + text[text.index(after: at)...]
        }
        return String(text)
    }
}
