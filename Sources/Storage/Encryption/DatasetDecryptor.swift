public import ContentAddressing
import Foundation
public import LightboxCrypto

/// Turns a dataset's ciphertext DAG back into its files, checking everything a buyer has to trust.
///
/// Every name is checked before it is used (nothing is written outside the destination), every chunk's tag is
/// checked as it is decrypted, and every file's plaintext CID must equal the manifest's, with no file missing or
/// extra. Any failure removes the destination.
public struct DatasetDecryptor {
    public let datasetID: String
    public let key: SymmetricKey
    public let manifest: DatasetManifest

    public init(datasetID: String, key: SymmetricKey, manifest: DatasetManifest) {
        self.datasetID = datasetID
        self.key = key
        self.manifest = manifest
    }

    /// Decrypts the DAG at `contentRoot` (blocks from `source`) into `destination`, which must not exist.
    /// - Returns: The number of files written.
    /// - Throws: ``StorageError`` `.decryptionFailed` (with the file and chunk), `.invalidDataset` (a file differs
    ///   from the manifest, is missing or is extra, or a name is unsafe), `.notFound` for a missing block.
    @discardableResult
    public func decrypt(contentRoot: CID, source: @escaping DAGWalker.BlockSource, to destination: String) throws -> Int {
        guard manifest.dataset == datasetID else {
            throw StorageError(.invalidDataset, "the manifest is for dataset \(manifest.dataset), not \(datasetID)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StorageError(.io, "\(destination) already exists; choose a new directory")
        }
        // Keyed by the names' bytes: Swift's String equality would merge Unicode-equivalent names (NFC and NFD),
        // which a file system keeps apart.
        let expected = Dictionary(manifest.files.map { (Array($0.path.utf8), $0) }) { first, _ in first }
        var written = Set<[UInt8]>()
        do {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            let extractor = UnixFSExtractor(source: source)
            try decryptDirectory(contentRoot, relative: "", destination: destination, extractor: extractor,
                                 expected: expected, written: &written, depth: 0)
            if let missing = manifest.files.first(where: { !written.contains(Array($0.path.utf8)) }) {
                throw StorageError(.invalidDataset, "\(missing.path) is in the manifest but not in the dataset's content")
            }
            // One flush to disk for the whole dataset, rather than one per file (Glibc's module map has no
            // `syncfs`, so it is `sync`).
            sync()
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw Self.storageError(error)
        }
        return written.count
    }

    private func decryptDirectory(
        _ cid: CID, relative: String, destination: String, extractor: UnixFSExtractor,
        expected: [[UInt8]: DatasetManifest.File], written: inout Set<[UInt8]>, depth: Int
    ) throws {
        guard depth < UnixFSExtractor.maxDirectoryDepth else {
            throw StorageError(.invalidDataset, "the dataset is deeper than \(UnixFSExtractor.maxDirectoryDepth) directories")
        }
        for entry in try extractor.directoryEntries(cid) {
            let childRelative = relative.isEmpty ? entry.name : relative + "/" + entry.name
            let childPath = destination + "/" + entry.name
            let node = try extractor.node(entry.cid)
            switch node.kind {
            case .directory, .hamtShard:
                try FileManager.default.createDirectory(atPath: childPath, withIntermediateDirectories: false)
                try decryptDirectory(entry.cid, relative: childRelative, destination: childPath, extractor: extractor,
                                     expected: expected, written: &written, depth: depth + 1)
            case .file, .rawLeaf:
                guard let file = expected[Array(childRelative.utf8)] else {
                    throw StorageError(.invalidDataset, "\(childRelative) is in the content but not in the manifest")
                }
                try decryptFile(entry.cid, file: file, to: childPath, extractor: extractor)
                written.insert(Array(childRelative.utf8))
            default:
                throw StorageError(.invalidDataset, "\(childRelative) is neither a file nor a directory")
            }
        }
    }

    private func decryptFile(_ cid: CID, file: DatasetManifest.File, to path: String, extractor: UnixFSExtractor) throws {
        let output = try AtomicFileWriter(path: path, durable: false)
        var plaintext = StreamingFileImporter(options: DatasetManifest.plaintextOptions)
        let discard = DiscardingBlockSink()
        let decryptor = StreamingDecryptor(key: key, datasetID: datasetID, path: file.path) { bytes in
            try plaintext.write(bytes, to: discard)
            // Stop at once when a file grows past its manifest size, rather than after writing it all.
            guard plaintext.byteCount <= file.size else {
                throw StorageError(.invalidDataset, "\(file.path) is longer than the \(file.size) bytes the manifest gives")
            }
            try output.write(bytes)
        }
        do {
            try extractor.readFile(cid) { bytes in try decryptor.write(bytes) }
            try decryptor.finish()
            let root = try plaintext.finish(to: discard)
            let size = plaintext.byteCount
            guard root.cid.description == file.cid, size == file.size else {
                throw StorageError(
                    .invalidDataset, "\(file.path) decrypted to \(root.cid) (\(size) bytes), but the manifest says \(file.cid) (\(file.size) bytes)")
            }
            try output.commit()
        } catch let error as StorageError where error.code == .decryptionFailed {
            output.abandon()
            throw StorageError(.decryptionFailed, "\(file.path): \(error.message)")
        } catch {
            output.abandon()
            throw error
        }
    }

    static func storageError(_ error: any Error) -> StorageError {
        switch error {
        case let error as StorageError: error
        case let error as ContentAddressingError: StorageError(.invalidDataset, error.message)
        case let error as DAGWalker.Missing: StorageError(.notFound, "\(error); fetch the dataset's DAG first")
        default: StorageError(.io, "\(error)")
        }
    }
}
