public import AsyncHTTPClient
public import ContentAddressing
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// A client of one IPFS Pinning Service API endpoint: asks it to pin a CID and polls until it is pinned.
public struct PinningServiceClient: Sendable {
    /// The API's base URL (requests go to `{endpoint}/pins`).
    public let endpoint: String
    let token: String
    let http: HTTPClient
    let logger: Logger

    public init(endpoint: String, token: String, http: HTTPClient, logger: Logger) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.token = token
        self.http = http
        self.logger = logger
    }

    /// Asks the service to pin `cid` (`POST /pins`, answered 202).
    /// - Parameter origins: Multiaddrs of nodes that have the data, so the service can fetch it sooner.
    public func pin(_ cid: CID, name: String? = nil, origins: [String] = [], meta: [String: String] = [:]) async throws -> PinStatus {
        var request = HTTPClientRequest(url: "\(endpoint)/pins")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = PinStatus.Pin(cid: cid.description, name: name, origins: origins.isEmpty ? nil : origins, meta: meta.isEmpty ? nil : meta)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let status = try await send(request, expecting: [202, 200])
        logger.info("pin requested", metadata: ["cid": "\(cid)", "service": "\(endpoint)", "request": "\(status.requestid)"])
        return status
    }

    /// The current state of a pin request (`GET /pins/{requestid}`).
    public func status(_ requestID: String) async throws -> PinStatus {
        let escaped = requestID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? requestID
        var request = HTTPClientRequest(url: "\(endpoint)/pins/\(escaped)")
        request.method = .GET
        return try await send(request, expecting: [200])
    }

    /// Polls a pin request until it is `pinned`.
    /// - Throws: `.pinningFailed` when the service reports `failed`; `.pinningTimedOut` after `timeout`.
    public func waitUntilPinned(
        _ requestID: String, timeout: Duration = .seconds(600), pollInterval: Duration = .seconds(2)
    ) async throws -> PinStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try await status(requestID)
            switch current.status {
            case .pinned: return current
            case .failed:
                throw StorageError(
                    .pinningFailed, "\(endpoint) could not pin \(current.pin.cid): \(current.info?["status_details"] ?? "no details given")")
            case .queued, .pinning:
                guard ContinuousClock.now + pollInterval < deadline else {
                    throw StorageError(
                        .pinningTimedOut, "\(endpoint) had not pinned \(current.pin.cid) after \(timeout) (still \(current.status.rawValue))")
                }
                try await Task.sleep(for: pollInterval)
            }
        }
    }

    private func send(_ request: HTTPClientRequest, expecting codes: Set<UInt>) async throws -> PinStatus {
        var request = request
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw StorageError(.pinningFailed, "cannot reach the pinning service at \(endpoint): \(error)")
        }
        let body = try await HTTPBodies.collect(response.body, limit: 1 << 20)
        guard codes.contains(response.status.code) else {
            let failure = try? JSONDecoder().decode(PinningFailure.self, from: Data(body))
            let reason = failure.map { "\($0.error.reason)\($0.error.details.map { ": " + $0 } ?? "")" }
                ?? String(decoding: body.prefix(200), as: UTF8.self)
            let hint = response.status.code == 401 ? " (check the access token in storage.pinning.tokens)" : ""
            throw StorageError(.pinningFailed, "\(endpoint) answered \(response.status.code): \(reason)\(hint)")
        }
        do {
            return try JSONDecoder().decode(PinStatus.self, from: Data(body))
        } catch {
            throw StorageError(.badResponse, "\(endpoint) answered with something that is not a PinStatus: \(error)")
        }
    }
}
