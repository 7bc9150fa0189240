import ContentAddressing
import Foundation
import Hummingbird
import NIOCore
import Storage
import Synchronization

/// A gateway that misbehaves on purpose, to test that the client believes nothing. It serves the same store
/// as a good gateway under `/{fault}/ipfs/{cid}`, and `fault` picks how the answer is spoiled.
enum FaultyGateway {
    enum Fault: String, CaseIterable {
        case corrupt, truncated, oversized, incomplete, padded, wrongType, flaky, missing, slow
    }

    static func router(store: FileBlockStore) -> Router<BasicRequestContext> {
        let router = Router()
        let flakyCalls = Mutex(0)
        router.get("{fault}/ipfs/{cid}") { request, context -> Response in
            guard let fault = Fault(rawValue: context.parameters.get("fault") ?? ""),
                  let cid = try? CID(context.parameters.get("cid") ?? "") else { return Response(status: .badRequest) }
            let isCAR = request.uri.queryParameters["format"] == "car"
            let type = isCAR ? "application/vnd.ipld.car; version=1; order=dfs; dups=n" : "application/vnd.ipld.raw"
            var body = isCAR ? try await car(cid, store: store) : (try store.get(cid)?.bytes ?? [])
            switch fault {
            case .corrupt: body[body.count - 3] ^= 0x55
            case .truncated: body = Array(body.dropLast(10))
            case .oversized:
                body = isCAR ? CARHeader(roots: [cid]).encoded() + Varint.encode(3 << 20) + [UInt8](repeating: 1, count: 3 << 20)
                    : [UInt8](repeating: 1, count: 3 << 20)
            case .incomplete: body = try await car(cid, store: store, dropLast: true)
            case .padded:
                let stranger = Block(cid: CID.v1(.raw, Multihash.sha256(Array("stranger".utf8))), bytes: Array("stranger".utf8))
                body = CARHeader(roots: [cid]).encoded() + CARSection.encode(stranger) + body.dropFirst(CARHeader(roots: [cid]).encoded().count)
            case .wrongType:
                return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>")))
            case .flaky:
                let call = flakyCalls.withLock { count in
                    count += 1
                    return count
                }
                if call % 2 == 1 { return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"]) }
            case .missing:
                return Response(status: .notFound)
            case .slow:
                try await Task.sleep(for: .seconds(5))
            }
            return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return router
    }

    static func car(_ root: CID, store: FileBlockStore, dropLast: Bool = false) async throws -> [UInt8] {
        var sections = [[UInt8]]()
        try await DAGWalker(source: store.get).walk(root: root) { sections.append(CARSection.encode($0)) }
        if dropLast { sections.removeLast() }
        return CARHeader(roots: [root]).encoded() + sections.flatMap { $0 }
    }
}
