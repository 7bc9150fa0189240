import LightboxCrypto
public import ContentAddressing

/// Answers trustless-gateway requests from the local blockstore: raw blocks, and CARs of a DAG in
/// depth-first order without duplicates, for a path, `dag-scope` and `entity-bytes`. A block this disk lacks is
/// fetched from the node's other processes first (``PeerBlockFill``), unless the request says `only-if-cached`.
public struct TrustlessGateway: Sendable {
    public let store: FileBlockStore
    public let fill: PeerBlockFill?

    public init(store: FileBlockStore, fill: PeerBlockFill? = nil) {
        self.store = store
        self.fill = fill
    }

    /// The headers every successful response carries.
    public func headers(for request: GatewayRequest) -> [(name: String, value: String)] {
        let pathText = (["/ipfs/\(request.root)"] + request.path).joined(separator: "/")
        var headers: [(String, String)] = [
            ("Content-Type", request.format.contentType),
            ("Cache-Control", "public, max-age=29030400, immutable"),
            ("X-Ipfs-Path", pathText),
            ("X-Ipfs-Roots", request.root.description),
            ("X-Content-Type-Options", "nosniff"),
            ("Vary", "Accept"),
        ]
        switch request.format {
        case .raw:
            headers.append(("Etag", "\"\(request.root).raw\""))
            headers.append(("Content-Disposition", "attachment; filename=\"\(request.root).bin\""))
        case .car:
            let variant = [request.path.joined(separator: "/"), request.scope.rawValue,
                           request.range.map { "\($0.from):\($0.to.map(String.init) ?? "*")" } ?? ""].joined(separator: "|")
            let tag = Array(SHA256.hash(Array(variant.utf8)).prefix(6)).map { String($0, radix: 16) }.joined()
            headers.append(("Etag", "\"\(request.root).car.\(tag)\""))
            headers.append(("Content-Disposition", "attachment; filename=\"\(request.root).car\""))
        }
        return headers
    }

    /// The block for a raw request.
    /// - Throws: `.notFound` when it is not stored (nor, when `filling`, on a peer); `.corruptBlock` when it was
    ///   damaged on disk.
    public func rawBlock(_ request: GatewayRequest, filling: Bool = true) async throws(StorageError) -> Block {
        if filling, let fill { try await fill.block(request.root) }
        guard let block = try store.get(request.root) else {
            throw StorageError(.notFound, "block \(request.root) is not stored on this node")
        }
        return block
    }

    /// Checks that a CAR response can start: the root block is stored and the path resolves.
    /// - Throws: `.notFound` (404) otherwise. Blocks missing further down can only be found while streaming.
    public func checkCAR(_ request: GatewayRequest, filling: Bool = true) async throws(StorageError) {
        if filling, let fill { try await fill.dag(request.root) }
        do {
            try await DAGWalker(source: store.get).walk(root: request.root, path: request.path, scope: .block) { _ in }
        } catch let error as StorageError {
            throw error
        } catch let error as DAGWalker.Missing {
            throw StorageError(.notFound, "block \(error.cid) is not stored on this node")
        } catch let error as DAGWalker.PathNotFound {
            throw StorageError(.notFound, "\(error) under /ipfs/\(request.root)")
        } catch {
            throw StorageError(.invalidRequest, "the DAG at \(request.root) cannot be read as UnixFS: \(error)")
        }
    }

    /// Streams a CAR response: the header, then each block's section. A block found missing mid-stream ends
    /// the stream with an error, so the client sees a truncated CAR rather than a complete-looking one.
    public func writeCAR(_ request: GatewayRequest, write: ([UInt8]) async throws -> Void) async throws {
        try await write(CARHeader(roots: [request.root]).encoded())
        try await DAGWalker(source: store.get).walk(
            root: request.root, path: request.path, scope: request.scope, range: request.range
        ) { block in
            try await write(CARSection.encode(block))
        }
    }
}
