import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ContentAddressing
import Storage

/// The trustless IPFS gateway: `GET`/`HEAD /ipfs/{cid}[/{path}]` with `?format=raw` or `?format=car`
/// (`dag-scope`, `entity-bytes`), answered from the node's blockstore.
struct GatewayRoutes {
    let gateway: TrustlessGateway

    func register(on router: Router<LightboxRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("ipfs/**", method: method) { request, context in
                try await respond(to: request, context: context)
            }
        }
    }

    private func respond(to request: Request, context: LightboxRequestContext) async throws -> Response {
        let parsed: GatewayRequest
        do {
            let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { first, _ in first }
            parsed = try GatewayRequest(
                segments: context.parameters.getCatchAll().map(String.init), query: query,
                accept: request.headers[.accept])
        } catch {
            throw Self.httpError(error)
        }
        var headers = HTTPFields()
        for (name, value) in gateway.headers(for: parsed) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let onlyIfCached = request.headers[.cacheControl]?.contains("only-if-cached") == true
        switch parsed.format {
        case .raw:
            let block: Block
            do {
                block = try await gateway.rawBlock(parsed, filling: !onlyIfCached)
            } catch {
                throw Self.lookupError(error, onlyIfCached: onlyIfCached)
            }
            headers[.contentLength] = String(block.bytes.count)
            if request.method == .head { return Response(status: .ok, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: block.bytes)))
        case .car:
            do {
                try await gateway.checkCAR(parsed, filling: !onlyIfCached)
            } catch {
                throw Self.lookupError(error, onlyIfCached: onlyIfCached)
            }
            if request.method == .head { return Response(status: .ok, headers: headers) }
            let gateway = self.gateway
            let logger = context.logger
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                do {
                    try await gateway.writeCAR(parsed) { bytes in try await writer.write(ByteBuffer(bytes: bytes)) }
                    try await writer.finish(nil)
                } catch {
                    // The status line is already sent: end the stream without finishing it, so the client sees
                    // a truncated CAR, as the trustless gateway specification prescribes.
                    logger.warning("CAR response cut short", metadata: ["cid": "\(parsed.root)", "error": "\(error)"])
                    throw error
                }
            })
        }
    }

    /// A failed lookup: 412 when the client asked only for what is cached and it is not, else as ``httpError(_:)``.
    static func lookupError(_ error: StorageError, onlyIfCached: Bool) -> ErrorResponse {
        onlyIfCached && error.code == .notFound
            ? ErrorResponse(status: .preconditionFailed, code: "not_cached", message: error.message)
            : httpError(error)
    }

    static func httpError(_ error: StorageError) -> ErrorResponse {
        let status: HTTPResponse.Status
        let code: String
        switch error.code {
        case .invalidRequest: (status, code) = (.badRequest, "bad_request")
        case .notAcceptable: (status, code) = (.notAcceptable, "not_acceptable")
        case .notFound: (status, code) = (.notFound, "not_found")
        default: (status, code) = (.internalServerError, "storage_failed")
        }
        return ErrorResponse(status: status, code: code, message: error.message)
    }
}
