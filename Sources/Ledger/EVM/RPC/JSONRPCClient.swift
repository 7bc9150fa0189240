import LightboxCrypto
import Foundation
import Synchronization

/// JSON-RPC 2.0 over a transport: single calls and batches, errors decoded into ``EVMError``s.
public final class JSONRPCClient: Sendable {
    public let transport: any JSONRPCTransport
    private let nextID = Atomic<Int>(1)

    public init(transport: any JSONRPCTransport) {
        self.transport = transport
    }

    /// Calls one method.
    /// - Throws: ``EVMError``: `.rpc` or `.reverted` for the node's error, `.transport`, or `.malformedResponse`.
    public func call(_ method: String, _ params: [RPCJSON] = []) async throws(EVMError) -> RPCJSON {
        try await batch([(method, params)])[0].get()
    }

    /// Calls several methods in one request; each answer is the result or the node's error for that call.
    /// - Throws: ``EVMError`` when the request as a whole failed.
    public func batch(_ calls: [(method: String, params: [RPCJSON])]) async throws(EVMError) -> [Result<RPCJSON, EVMError>] {
        guard !calls.isEmpty else { return [] }
        let firstID = nextID.add(calls.count, ordering: .relaxed).oldValue
        let requests = calls.enumerated().map { offset, call in
            Request(id: firstID + offset, method: call.method, params: call.params)
        }
        let body: Data
        do {
            body = calls.count == 1 ? try JSONEncoder().encode(requests[0]) : try JSONEncoder().encode(requests)
        } catch {
            throw EVMError(.encoding, "cannot encode the JSON-RPC request: \(error)")
        }
        let bytes = try await transport.post(Array(body))
        let responses: [Response]
        do {
            if calls.count == 1, let single = try? JSONDecoder().decode(Response.self, from: Data(bytes)) {
                responses = [single]
            } else {
                responses = try JSONDecoder().decode([Response].self, from: Data(bytes))
            }
        } catch {
            throw EVMError(.malformedResponse, "\(transport.endpoint) did not answer with JSON-RPC: \(String(decoding: bytes.prefix(160), as: UTF8.self))")
        }
        let byID = Dictionary(responses.compactMap { response in response.id.map { ($0, response) } }, uniquingKeysWith: { first, _ in first })
        return requests.map { request in
            guard let response = byID[request.id] else {
                // A batch-level error (an invalid request) comes back once, without an id.
                if let error = responses.first(where: { $0.id == nil })?.error { return .failure(error.decoded(method: request.method)) }
                return .failure(EVMError(.malformedResponse, "\(transport.endpoint) gave no answer to \(request.method)"))
            }
            if let error = response.error { return .failure(error.decoded(method: request.method)) }
            return .success(response.result ?? .null)
        }
    }

    private struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int
        let method: String
        let params: [RPCJSON]
    }

    private struct Response: Decodable {
        let id: Int?
        let result: RPCJSON?
        let error: RPCErrorObject?
    }
}

/// A JSON-RPC error object as nodes send it; geth reports a revert as code 3 with the revert data in `data`.
struct RPCErrorObject: Decodable {
    let code: Int
    let message: String
    let data: RPCJSON?

    func decoded(method: String) -> EVMError {
        let dataBytes: [UInt8]? = if case .string(let text) = data, text.hasPrefix("0x") { [UInt8](hexString: text) } else { nil }
        let reverted = code == 3 || message.lowercased().contains("execution reverted")
        if reverted {
            let reason = RevertReason(data: dataBytes ?? [])
            return EVMError(.reverted, "\(method) reverted: \(reason?.description ?? message)", rpcCode: code, data: dataBytes)
        }
        return EVMError(.rpc, "the node refused \(method): \(message) (code \(code))", rpcCode: code, data: dataBytes)
    }
}
