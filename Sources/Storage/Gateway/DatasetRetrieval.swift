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
        let entries = try UnixFSExtractor(source: store.get).directoryEntries(cid).map(\.cid)
        var directories: [CID] = []
        // A few entries at once: one is verified and stored while the next is on the wire.
        try await withThrowingTaskGroup(of: Entry.self) { group in
            func collect() async throws {
                guard let entry = try await group.next() else { return }
                if entry.isDirectory {
                    directories.append(entry.cid)
                    return
                }
                state.files += 1
                if entry.resumed { state.resumed += 1 }
                state.bytes += entry.bytes
                progress(state)
            }
            for (index, entry) in entries.enumerated() {
                if index >= Self.inFlight { try await collect() }
                group.addTask { try await self.fetchEntry(entry) }
            }
            for _ in 0..<min(entries.count, Self.inFlight) { try await collect() }
        }
        for directory in directories {
            try await fetchDirectory(directory, depth: depth + 1, state: &state, progress: progress)
        }
    }

    /// Entries fetched at once.
    static let inFlight = 4

    /// A directory entry once fetched: a directory (to walk next) or a whole file.
    private struct Entry: Sendable {
        let cid: CID
        var isDirectory = false
        var resumed = false
        var bytes: UInt64 = 0
    }

    /// Fetches one entry: a directory's own node, or a file's whole DAG unless every block is already here.
    private func fetchEntry(_ cid: CID) async throws -> Entry {
        var fetched = false
        if !store.has(cid) {
            _ = try await client.fetchDAG(cid, scope: .entity, into: store)
            fetched = true
        }
        let node = try UnixFSExtractor(source: store.get).node(cid)
        if node.kind == .directory || node.kind == .hamtShard { return Entry(cid: cid, isDirectory: true) }
        var resumed = false
        if !fetched {
            if try await isComplete(cid) {
                resumed = true
            } else {
                _ = try await client.fetchDAG(cid, scope: .entity, into: store)
            }
        }
        return Entry(cid: cid, resumed: resumed, bytes: node.unixfs?.fileSize ?? UInt64(node.inlineBytes.count))
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
