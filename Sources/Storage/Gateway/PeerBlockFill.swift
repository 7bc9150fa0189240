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
    /// - Throws: `.gatewayFailed` when no gateway has it; `.io` when it cannot be stored.
    public func dag(_ root: CID) async throws(StorageError) {
        guard !store.has(root) else { return }
        let sink = RootLastSink(store: store, root: root)
        _ = try await client.fetchDAG(root, into: sink)
        try sink.finish()
    }

    /// Makes sure the one block `cid` is stored.
    public func block(_ cid: CID) async throws(StorageError) {
        guard !store.has(cid) else { return }
        let block = try await client.fetchBlock(cid)
        try Self.put(block, into: store)
    }

    static func put(_ block: Block, into store: FileBlockStore) throws(StorageError) {
        do {
            try store.put(block)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.io, "cannot store block \(block.cid): \(error)")
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
        try PeerBlockFill.put(rootBlock, into: store)
        try store.synchronise()
    }
}
