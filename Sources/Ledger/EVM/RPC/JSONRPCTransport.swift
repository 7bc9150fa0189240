/// The seam to a JSON-RPC endpoint: posts one request body (a call or a batch) and returns the response body.
/// Implementations retry what is safe to retry; the client above them speaks JSON-RPC.
public protocol JSONRPCTransport: Sendable {
    /// A description of the endpoint for messages (its URL without credentials).
    var endpoint: String { get }

    /// - Throws: ``EVMError`` `.transport` when no answer came (after retries), or the HTTP status was an error.
    func post(_ body: [UInt8]) async throws(EVMError) -> [UInt8]
}
