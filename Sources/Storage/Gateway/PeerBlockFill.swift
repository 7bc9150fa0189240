public import AsyncHTTPClient
public import ContentAddressing
public import Logging

/// Fills the local blockstore from the node's other processes (and any other configured gateway) when a block it is
/// asked for is not on this disk: processes on different machines share the database, not a data directory.
///
/// Every block is verified against its CID (``TrustlessGatewayClient``). The gateways are asked with
/// `Cache-Control: only-if-cached`, so a Lightbox process asked by another does not in turn ask its peers. A DAG is
/// stored with its root last, after every other block arrived and was checked: a stored root means a whole DAG,
/// so an interrupted fill is taken up again on the next request rather than served short.
public struct PeerBlockFill: Sendable {
    public let store: FileBlockStore
    let client: TrustlessGatewayClient

    /// Nil when no gateway is configured: nothing to fill from.
    public init?(store: FileBlockStore, gateways: [String], timeout: Duration, http: HTTPClient, logger: Logger) {
        guard !gateways.isEmpty else { return nil }
        var configuration = TrustlessGatewayClient.Configuration(gateways: gateways, attemptsPerGateway: 1, requestTimeout: timeout)
        configuration.onlyIfCached = true
        self.store = store
        client = TrustlessGatewayClient(configuration: configuration, http: http, logger: logger)
    }

    /// Makes sure the whole DAG under `root` is stored.
    /// - Throws: `.notFound` when no gateway sends it, verified; `.io` when it cannot be stored.
    public func dag(_ root: CID) async throws(StorageError) {
        guard !store.has(root) else { return }
        let sink = RootLastSink(store: store, root: root)
        try await Self.fromPeers { () async throws(StorageError) in _ = try await client.fetchDAG(root, into: sink) }
        try sink.finish()
    }

    /// Makes sure the one block `cid` is stored.
    /// - Throws: as ``dag(_:)``.
    public func block(_ cid: CID) async throws(StorageError) {
        guard !store.has(cid) else { return }
        var fetched: Block?
        try await Self.fromPeers { () async throws(StorageError) in fetched = try await client.fetchBlock(cid) }
        if let fetched { try store.put(fetched) }
    }

    /// Runs a fetch; what no peer has is not found on this node either.
    private static func fromPeers(_ fetch: () async throws(StorageError) -> Void) async throws(StorageError) {
        do {
            try await fetch()
        } catch where error.code == .gatewayFailed {
            throw StorageError(.notFound, "not stored on this node, nor sent by its peers: \(error.message)")
        }
    }
}

/// Stores every block of a DAG as it arrives except the root, which waits for ``finish()``.
private final class RootLastSink: BlockSink {
    let store: FileBlockStore
    let root: CID
    private var rootBlock: Block?

    init(store: FileBlockStore, root: CID) {
        self.store = store
        self.root = root
    }

    func put(_ block: Block) throws {
        if block.cid == root { rootBlock = block } else { try store.put(block) }
    }

    func finish() throws(StorageError) {
        try store.synchronise()
        guard let rootBlock else { return }
        try store.put(rootBlock)
        try store.synchronise()
    }
}
