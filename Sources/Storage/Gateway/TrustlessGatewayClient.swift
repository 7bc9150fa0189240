public import AsyncHTTPClient
public import ContentAddressing
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// Fetches blocks and DAGs from trustless IPFS gateways and believes none of them.
///
/// Every block is hashed and checked against its CID; a CAR is read as a stream, each block checked as it arrives
/// and kept only if the DAG walked from the requested root needs it, and the stream must deliver every such block
/// or the fetch fails. Blocks over 2 MiB are refused before they are read whole. Gateways are tried in order: a
/// gateway that times out or answers 429/5xx is retried after a pause, one that does not have the data (404/410)
/// or sends bad data is passed over, and the error lists what each gateway did.
public struct TrustlessGatewayClient: Sendable {
    /// Where and how to fetch.
    public struct Configuration: Sendable {
        /// Gateway base URLs, tried in order (`https://trustless-gateway.link`, `http://127.0.0.1:8080`).
        public var gateways: [String]
        /// Tries per gateway for transient failures (timeouts, 429, 5xx).
        public var attemptsPerGateway: Int
        /// The longest a raw-block request may take, body included.
        public var requestTimeout: Duration
        /// The longest a CAR request may take, body included (a dataset can be many gigabytes; a stalled
        /// transfer is caught sooner by the HTTP client's read time-out, see ``StorageHTTPClient``).
        public var dagTimeout: Duration
        /// Pause before retrying a transient failure (a 429's Retry-After is honoured up to 10 s).
        public var retryDelay: Duration
        /// Asks each gateway only for what it holds (`Cache-Control: only-if-cached`; 412 when it does not), so a
        /// gateway that fetches on a miss does not ask further: how a node's processes fill from one another.
        public var onlyIfCached = false

        public init(
            gateways: [String], attemptsPerGateway: Int = 2, requestTimeout: Duration = .seconds(120),
            dagTimeout: Duration = .seconds(6 * 3600), retryDelay: Duration = .milliseconds(250)
        ) {
            self.dagTimeout = dagTimeout
            self.gateways = gateways.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            self.attemptsPerGateway = max(1, attemptsPerGateway)
            self.requestTimeout = requestTimeout
            self.retryDelay = retryDelay
        }
    }

    /// What a DAG fetch delivered.
    public struct FetchSummary: Sendable, Equatable {
        /// Blocks received, verified and stored.
        public let blockCount: Int
        /// Their bytes.
        public let byteCount: Int
        /// The gateway that delivered them.
        public let gateway: String
    }

    public let configuration: Configuration
    let http: HTTPClient
    let logger: Logger

    public init(configuration: Configuration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// Fetches one block (`?format=raw`) and verifies it.
    /// - Throws: `.gatewayFailed` naming each gateway's failure; `.invalidRequest` for an unsupported CID.
    public func fetchBlock(_ cid: CID) async throws(StorageError) -> Block {
        try requireSupported(cid)
        return try await withFailover(cid) { gateway async throws(GatewayFailure) -> Block in
            let response = try await get(
                "\(gateway)/ipfs/\(cid)?format=raw", accept: "application/vnd.ipld.raw", timeout: configuration.requestTimeout)
            let bytes: [UInt8]
            do {
                bytes = try await HTTPBodies.collect(response.body, limit: Block.maxByteCount)
            } catch let error as StorageError where error.code == .badResponse {
                throw GatewayFailure.bad("sent more than 2 MiB for one block")
            } catch {
                throw GatewayFailure.transient("the response broke off: \(error)")
            }
            do {
                return try Block(verifying: bytes, as: cid)
            } catch {
                throw GatewayFailure.bad("\(error)")
            }
        }
    }

    /// Fetches the DAG under `root` as a CAR (`?format=car&dag-scope=…`), verifying every block and that none
    /// is missing, and hands the blocks to `store` (a ``FileBlockStore`` is flushed to disk at the end).
    /// - Throws: `.gatewayFailed` naming each gateway's failure (wrong bytes, truncated, incomplete, too large…).
    public func fetchDAG(
        _ root: CID, scope: DAGScope = .all, into store: any BlockSink
    ) async throws(StorageError) -> FetchSummary {
        try requireSupported(root)
        return try await withFailover(root) { gateway async throws(GatewayFailure) -> FetchSummary in
            let response = try await get(
                "\(gateway)/ipfs/\(root)?format=car&dag-scope=\(scope.rawValue)",
                accept: "application/vnd.ipld.car; version=1; order=dfs; dups=y", timeout: configuration.dagTimeout)
            let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
            guard contentType.hasPrefix("application/vnd.ipld.car") else {
                throw GatewayFailure.bad("answered with Content-Type '\(contentType)', not a CAR")
            }
            guard !contentType.contains("version=2") else { throw GatewayFailure.bad("sent a CAR version 2") }
            var verifier = DAGCompleteness(root: root, scope: scope)
            var reader = CARReader()
            var blockCount = 0
            var byteCount = 0
            do {
                for try await buffer in response.body {
                    reader.push(buffer.readableBytesView)
                    while let block = try reader.nextBlock() {
                        guard try verifier.accept(block) else { continue }
                        try store.put(block)
                        blockCount += 1
                        byteCount += block.bytes.count
                    }
                }
                try reader.finish()
            } catch let error as ContentAddressingError {
                throw GatewayFailure.bad(error.message)
            } catch let error as StorageError {
                throw GatewayFailure.local(error)
            } catch {
                throw GatewayFailure.transient("the CAR stream broke off: \(error)")
            }
            if let missing = verifier.missing.first {
                throw GatewayFailure.bad(
                    "the CAR ended without \(verifier.missing.count) block(s) the DAG needs, for example \(missing)")
            }
            if let files = store as? FileBlockStore {
                do {
                    try files.synchronise()
                } catch let error as StorageError {
                    throw GatewayFailure.local(error)
                } catch {
                    throw GatewayFailure.local(StorageError(.io, "\(error)"))
                }
            }
            return FetchSummary(blockCount: blockCount, byteCount: byteCount, gateway: gateway)
        }
    }

    private func requireSupported(_ cid: CID) throws(StorageError) {
        do {
            try cid.requireSupportedCodec()
        } catch {
            throw StorageError(error, as: .invalidRequest)
        }
    }

    /// Why one attempt at one gateway failed.
    enum GatewayFailure: Error {
        /// Worth another try at the same gateway (timeout, 429, 5xx, broken connection).
        case transient(String, retryAfter: Duration? = nil)
        /// The gateway does not have it (404, 410).
        case notFound(String)
        /// The gateway sent data that failed verification or broke the protocol.
        case bad(String)
        /// A local failure (the disk): no other gateway will fix it.
        case local(StorageError)
    }

    private func withFailover<Result>(
        _ cid: CID, _ attempt: (String) async throws(GatewayFailure) -> Result
    ) async throws(StorageError) -> Result {
        guard !configuration.gateways.isEmpty else {
            throw StorageError(.configuration, "no IPFS gateways are configured: set storage.gateways (or, for `lightbox ipfs get`, give --server URL)")
        }
        var reasons = [String]()
        for gateway in configuration.gateways {
            for number in 1...configuration.attemptsPerGateway {
                do {
                    return try await attempt(gateway)
                } catch {
                    switch error {
                    case .transient(let reason, let retryAfter):
                        logger.notice("gateway attempt failed", metadata: [
                            "gateway": "\(gateway)", "cid": "\(cid)", "attempt": "\(number)", "reason": "\(reason)"])
                        if number == configuration.attemptsPerGateway {
                            reasons.append("\(gateway): \(reason)")
                        } else {
                            try? await Task.sleep(for: min(retryAfter ?? configuration.retryDelay, .seconds(10)))
                            continue
                        }
                    case .notFound(let reason), .bad(let reason):
                        logger.warning("gateway passed over", metadata: ["gateway": "\(gateway)", "cid": "\(cid)", "reason": "\(reason)"])
                        reasons.append("\(gateway): \(reason)")
                    case .local(let error):
                        throw error
                    }
                }
                break
            }
        }
        throw StorageError(.gatewayFailed, "no gateway delivered verified data for \(cid): " + reasons.joined(separator: "; "))
    }

    private func get(_ url: String, accept: String, timeout: Duration) async throws(GatewayFailure) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: accept)
        if configuration.onlyIfCached { request.headers.add(name: "Cache-Control", value: "only-if-cached") }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .init(timeout))
        } catch {
            throw .transient("request failed: \(error)")
        }
        switch response.status.code {
        case 200: return response
        case 404, 410, 412: throw .notFound("does not have it (\(response.status.code))")
        case 429, 500...599:
            let retryAfter = response.headers.first(name: "retry-after").flatMap(Int.init).map { Duration.seconds($0) }
            throw .transient("answered \(response.status.code)", retryAfter: retryAfter)
        default: throw .bad("answered \(response.status.code)")
        }
    }
}
