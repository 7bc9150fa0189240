import ContentAddressing
import Foundation
import Hummingbird
import NIOCore
import Storage
import Synchronization

/// A stand-in for a Kubo node's RPC API (no Kubo daemon can run here), following its documented protocol for the
/// three commands Lightbox uses: POST only (405 otherwise); `dag/import` takes a multipart CAR, verifies and stores
/// every block and answers NDJSON `{"Root":{"Cid":{"/":…},"PinErrorMsg":""}}` per header root, then `{"Stats":…}`;
/// `pin/add?arg=` answers `{"Pins":[…]}` (500 with `{"Message":…}` when the DAG is not all present);
/// `block/get?arg=` answers the raw block. `lieAboutRoots` makes it report a wrong root; `corruptBlocks` makes
/// `block/get` return altered bytes.
enum KuboRPCMock {
    struct Behaviour: Sendable {
        var lieAboutRoots = false
        var corruptBlocks = false
        var token: String?
    }

    /// The CIDs pinned so far, shared between the mock and the test.
    final class Pins: Sendable {
        let set = Mutex<Set<String>>([])
        func contains(_ cid: String) -> Bool { set.withLock { $0.contains(cid) } }
        func insert(_ cid: String) { set.withLock { _ = $0.insert(cid) } }
    }

    static func router(store: FileBlockStore, behaviour: Behaviour = .init(), pins: Pins) -> Router<BasicRequestContext> {
        let router = Router()
        router.on("api/v0/{command}/{sub}", method: .get) { _, _ in methodNotAllowed() }
        router.on("api/v0/{command}/{sub}", method: .post) { request, context -> Response in
            if let token = behaviour.token, request.headers[.authorization] != "Bearer \(token)" {
                return Response(status: .forbidden)
            }
            let command = "\(context.parameters.get("command") ?? "")/\(context.parameters.get("sub") ?? "")"
            let arg = request.uri.queryParameters["arg"].map(String.init)
            switch command {
            case "dag/import":
                let body = try await request.body.collect(upTo: 64 << 20)
                let car = try multipartFile(Array(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
                var reader = CARReader()
                reader.push(car)
                var count = 0
                do {
                    while let block = try reader.nextBlock() {
                        try store.put(block)
                        count += 1
                    }
                    try reader.finish()
                } catch {
                    return failure(.internalServerError, "cannot import CAR: \(error)")
                }
                var lines = ""
                for root in reader.header?.roots ?? [] {
                    let reported = behaviour.lieAboutRoots ? CID.v1(.raw, Multihash.sha256([0])) : root
                    pins.insert(reported.description)
                    lines += #"{"Root":{"Cid":{"/":"\#(reported)"},"PinErrorMsg":""}}"# + "\n"
                }
                lines += #"{"Stats":{"BlockCount":\#(count),"BlockBytesCount":\#(car.count)}}"# + "\n"
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: lines)))
            case "pin/add":
                guard let arg, let cid = try? CID(arg) else { return failure(.badRequest, "argument \"ipfs-path\" is required") }
                do {
                    try await DAGWalker(source: store.get).walk(root: cid) { _ in }
                } catch {
                    return failure(.internalServerError, "pin: \(error)")
                }
                pins.insert(cid.description)
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"Pins":["\#(cid)"]}"#)))
            case "block/get":
                guard let arg, let cid = try? CID(arg), var bytes = try store.get(cid)?.bytes else {
                    return failure(.internalServerError, "block was not found locally (offline)")
                }
                if behaviour.corruptBlocks { bytes[0] ^= 1 }
                return Response(status: .ok, headers: [.contentType: "application/vnd.ipld.raw"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            default:
                return Response(status: .notFound)
            }
        }
        return router
    }

    static func methodNotAllowed() -> Response { Response(status: .methodNotAllowed) }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: #"{"Message":"\#(message)","Code":0,"Type":"error"}"#)))
    }

    /// The bytes of the single file part of a multipart/form-data body.
    static func multipartFile(_ body: [UInt8], contentType: String) throws -> [UInt8] {
        guard let boundary = contentType.components(separatedBy: "boundary=").last, contentType.contains("boundary=") else {
            throw StorageError(.badResponse, "no multipart boundary")
        }
        let start = Array("\r\n\r\n".utf8)
        let end = Array("\r\n--\(boundary)--".utf8)
        guard let headerEnd = body.firstRange(of: start), let tail = body.lastRange(of: end) else {
            throw StorageError(.badResponse, "malformed multipart body")
        }
        return Array(body[headerEnd.upperBound..<tail.lowerBound])
    }
}

extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        for start in stride(from: count - needle.count, through: 0, by: -1) where self[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}
