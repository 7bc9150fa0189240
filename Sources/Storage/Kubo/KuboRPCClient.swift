public import AsyncHTTPClient
public import ContentAddressing
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// A client of Kubo's RPC API (`/api/v0/…`, POST only): imports a CAR built here, pins, and fetches blocks,
/// checking what Kubo reports against what Lightbox computed.
///
/// The RPC API is an administrative interface: point it at a node you run, never at a public one.
public struct KuboRPCClient: Sendable {
    /// The API's base URL, such as `http://127.0.0.1:5001`.
    public let baseURL: String
    let token: String?
    let http: HTTPClient
    let logger: Logger
    let timeout: Duration

    public init(baseURL: String, token: String? = nil, http: HTTPClient, logger: Logger, timeout: Duration = .seconds(600)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
        self.logger = logger
        self.timeout = timeout
    }

    /// Imports a CAR file with `dag/import` (roots pinned) and checks the root Kubo reports is `expectedRoot`.
    /// - Throws: `.kuboFailed` when Kubo refuses it or reports another root, or a pin error.
    public func dagImport(carPath: String, expectedRoot: CID) async throws -> CID {
        let boundary = "lightbox-\(UInt64.random(in: 0...UInt64.max))"
        var request = makeRequest("dag/import", query: ["pin-roots": "true", "stats": "true"])
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = try HTTPBodies.multipartFile(path: carPath, filename: "dag.car", boundary: boundary)
        let body = try await send(request, limit: 1 << 20)
        var roots = [CID]()
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let root = object["Root"] as? [String: Any] else { continue }
            if let message = root["PinErrorMsg"] as? String, !message.isEmpty {
                throw StorageError(.kuboFailed, "Kubo imported the CAR but could not pin its root: \(message)")
            }
            guard let cid = (root["Cid"] as? [String: Any])?["/"] as? String, let parsed = try? CID(cid) else {
                throw StorageError(.badResponse, "Kubo's dag/import answer names no valid root")
            }
            roots.append(parsed)
        }
        guard roots.contains(where: { $0.multihash == expectedRoot.multihash }) else {
            throw StorageError(
                .kuboFailed, "Kubo reports root(s) \(roots.map(\.description)) for the CAR, not \(expectedRoot)")
        }
        logger.info("CAR imported into Kubo", metadata: ["root": "\(expectedRoot)", "kubo": "\(baseURL)"])
        return expectedRoot
    }

    /// Pins a DAG recursively.
    public func pinAdd(_ cid: CID) async throws {
        let body = try await send(makeRequest("pin/add", query: ["arg": cid.description, "recursive": "true"]), limit: 1 << 20)
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let pins = (object?["Pins"] as? [String]) ?? []
        guard pins.contains(where: { (try? CID($0))?.multihash == cid.multihash }) else {
            throw StorageError(.kuboFailed, "Kubo's pin/add answer does not list \(cid)")
        }
    }

    /// Fetches a block with `block/get` and verifies it.
    public func blockGet(_ cid: CID) async throws -> Block {
        let bytes = try await send(makeRequest("block/get", query: ["arg": cid.description]), limit: Block.maxByteCount)
        do {
            return try Block(verifying: bytes, as: cid)
        } catch {
            throw StorageError(.kuboFailed, "Kubo's block/get returned bytes that are not \(cid): \(error.message)")
        }
    }

    private func makeRequest(_ command: String, query: [String: String]) -> HTTPClientRequest {
        var components = URLComponents(string: "\(baseURL)/api/v0/\(command)")!
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        var request = HTTPClientRequest(url: components.string!)
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    private func send(_ request: HTTPClientRequest, limit: Int) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .init(timeout))
        } catch {
            throw StorageError(.kuboFailed, "cannot reach the Kubo RPC API at \(baseURL): \(error)")
        }
        let body = try await HTTPBodies.collect(response.body, limit: limit)
        guard response.status.code == 200 else {
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            let message = (object?["Message"] as? String) ?? String(decoding: body.prefix(200), as: UTF8.self)
            throw StorageError(.kuboFailed, "Kubo answered \(response.status.code): \(message)")
        }
        if let trailer = response.headers.first(name: "X-Stream-Error") {
            throw StorageError(.kuboFailed, "Kubo's answer broke off: \(trailer)")
        }
        return body
    }
}
