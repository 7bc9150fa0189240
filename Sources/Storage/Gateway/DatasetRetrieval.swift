public import ContentAddressing
import Foundation
public import LightboxCrypto

/// Brings a bought dataset to the buyer's disk: its manifest and ciphertext from any trustless gateway (every block
/// verified), then the files decrypted and each checked against the manifest.
///
/// The ciphertext is fetched file by file into a local blockstore, and a file whose blocks are all there already
/// is not fetched again, so an interrupted pull resumes where it stopped.
public struct DatasetRetrieval: Sendable {
    public let client: TrustlessGatewayClient
    public let store: FileBlockStore

    public init(client: TrustlessGatewayClient, store: FileBlockStore) {
        self.client = client
        self.store = store
    }

    /// How far a fetch has come.
    public struct Progress: Sendable, Equatable {
        public var files = 0
        /// Files already complete in the local store when the fetch started.
        public var resumed = 0
        /// Ciphertext bytes of the files done.
        public var bytes: UInt64 = 0
    }

    /// The manifest at `cid`, fetched and parsed.
    public func manifest(_ cid: CID) async throws -> DatasetManifest {
        if !(try await isComplete(cid)) { _ = try await client.fetchDAG(cid, into: store) }
        var bytes: [UInt8] = []
        try UnixFSExtractor(source: store.get).readFile(cid) { bytes += $0 }
        return try DatasetManifest(json: bytes)
    }

    /// Fetches every block under `contentRoot` that the local store lacks, calling `progress` after each file.
    public func fetch(contentRoot: CID, progress: (Progress) -> Void = { _ in }) async throws -> Progress {
        var state = Progress()
        try await fetchDirectory(contentRoot, depth: 0, state: &state, progress: progress)
        try store.synchronise()
        return state
    }

    /// Opens the content key sealed to `buyer`, and decrypts the fetched dataset into `destination` (which must not
    /// exist), checking every file against the manifest.
    /// - Returns: The number of files written.
    public func decrypt(
        contentRoot: CID, manifest: DatasetManifest, sealedKey: [UInt8], buyer: X25519.KeyPair, to destination: String
    ) throws -> Int {
        let key = try ContentKeyStore.open(sealed: sealedKey, with: buyer)
        return try DatasetDecryptor(datasetID: manifest.dataset, key: key, manifest: manifest)
            .decrypt(contentRoot: contentRoot, source: store.get, to: destination)
    }

    private func fetchDirectory(_ cid: CID, depth: Int, state: inout Progress, progress: (Progress) -> Void) async throws {
        guard depth < UnixFSExtractor.maxDirectoryDepth else {
            throw StorageError(.invalidDataset, "the dataset is deeper than \(UnixFSExtractor.maxDirectoryDepth) directories")
        }
        if !store.has(cid) { _ = try await client.fetchDAG(cid, scope: .entity, into: store) }
        let extractor = UnixFSExtractor(source: store.get)
        for entry in try extractor.directoryEntries(cid) {
            var fetched = false
            if !store.has(entry.cid) {
                _ = try await client.fetchDAG(entry.cid, scope: .entity, into: store)
                fetched = true
            }
            let node = try extractor.node(entry.cid)
            if node.kind == .directory || node.kind == .hamtShard {
                try await fetchDirectory(entry.cid, depth: depth + 1, state: &state, progress: progress)
                continue
            }
            if !fetched {
                if try await isComplete(entry.cid) {
                    state.resumed += 1
                } else {
                    _ = try await client.fetchDAG(entry.cid, scope: .entity, into: store)
                }
            }
            state.files += 1
            state.bytes += node.unixfs?.fileSize ?? UInt64(node.inlineBytes.count)
            progress(state)
        }
    }

    /// Whether every block of the DAG under `cid` is in the local store.
    private func isComplete(_ cid: CID) async throws -> Bool {
        guard store.has(cid) else { return false }
        do {
            try await DAGWalker(source: store.get).walk(root: cid) { _ in }
            return true
        } catch is DAGWalker.Missing {
            return false
        }
    }
}
