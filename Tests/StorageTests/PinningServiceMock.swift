import AsyncHTTPClient
import ContentAddressing
import Foundation
import Hummingbird
import NIOCore
import Storage
import Synchronization

/// A stand-in for an IPFS Pinning Service (no real service is reachable here), following the Pinning Service API
/// 1.0.0: bearer-token auth (401 with a `Failure` body), `POST /pins` answers 202 `queued`, and `GET /pins/{id}`
/// moves the pin to `pinning`, then fetches the DAG from its origins — HTTP retrieval multiaddrs such as
/// `/ip4/127.0.0.1/tcp/8080/http`, verified with Lightbox's own gateway client as a real service's node would
/// verify what it fetches — and reports `pinned`, or `failed` with the reason if it cannot.
enum PinningServiceMock {
    static func router(token: String, fetchInto store: FileBlockStore) -> Router<BasicRequestContext> {
        let router = Router()
        let pins = Mutex<[String: PinStatus]>([:])
        let unauthorised = Response(
            status: .unauthorized, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"reason":"UNAUTHORIZED","details":"access token is missing or invalid"}}"#)))

        router.post("pins") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return unauthorised }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let pin = try? JSONDecoder().decode(PinStatus.Pin.self, from: Data(body.readableBytesView)), (try? CID(pin.cid)) != nil else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"reason":"BAD_REQUEST"}}"#)))
            }
            let status = PinStatus(
                requestid: UUID().uuidString, status: .queued, created: ISO8601DateFormatter().string(from: .now), pin: pin,
                delegates: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWMockPinningService"])
            pins.withLock { $0[status.requestid] = status }
            return try json(status, status: .accepted)
        }

        router.get("pins/{id}") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return unauthorised }
            guard let id = context.parameters.get("id"), let current = pins.withLock({ $0[id] }) else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"reason":"NOT_FOUND"}}"#)))
            }
            var next = current
            switch current.status {
            case .queued:
                next = PinStatus(requestid: id, status: .pinning, created: current.created, pin: current.pin, delegates: current.delegates)
            case .pinning:
                let cid = try CID(current.pin.cid)
                let client = TrustlessGatewayClient(
                    configuration: .init(gateways: (current.pin.origins ?? []).compactMap(httpURL), attemptsPerGateway: 1, requestTimeout: .seconds(10)),
                    http: .shared, logger: StorageFixtures.logger)
                do {
                    _ = try await client.fetchDAG(cid, into: store)
                    next = PinStatus(requestid: id, status: .pinned, created: current.created, pin: current.pin, delegates: current.delegates)
                } catch {
                    next = PinStatus(requestid: id, status: .failed, created: current.created, pin: current.pin,
                                     delegates: current.delegates, info: ["status_details": "\(error)"])
                }
            case .pinned, .failed:
                break
            }
            pins.withLock { $0[id] = next }
            return try json(next, status: .ok)
        }
        return router
    }

    /// `/ip4/{address}/tcp/{port}/http` as `http://{address}:{port}`.
    static func httpURL(_ multiaddr: String) -> String? {
        let parts = multiaddr.split(separator: "/")
        guard parts.count == 5, parts[0] == "ip4", parts[2] == "tcp", parts[4] == "http" else { return nil }
        return "http://\(parts[1]):\(parts[3])"
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}
