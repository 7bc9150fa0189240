public import ContentAddressing
import Foundation
public import LightboxCrypto

/// What encrypting a dataset produced.
public struct EncryptedDataset: Sendable {
    /// The root of the ciphertext DAG (a UnixFS directory mirroring the dataset's tree).
    public let contentRoot: CID
    /// The CID of the manifest's canonical JSON (a UnixFS file in the same blockstore).
    public let manifestCID: CID
    public let manifest: DatasetManifest
    /// Plaintext and ciphertext bytes.
    public let plaintextBytes: UInt64
    public let ciphertextBytes: UInt64
}

/// Encrypts a dataset directory straight into a blockstore, in one streaming pass per file: the plaintext is
/// hashed for the manifest and encrypted, and the ciphertext is chunked and addressed as UnixFS, so what goes to
/// IPFS is ciphertext and no plaintext copy is written anywhere.
///
/// Hidden files (names starting with ".") are left out, as `ipfs add` does; symlinks and special files are
/// refused, since a symlink could pull in data from outside the dataset.
public struct DatasetEncryptor {
    public let datasetID: String
    public let key: SymmetricKey
    /// The options of the ciphertext DAG (CIDv1, raw leaves, Kubo's chunking).
    public let options: ImportOptions

    public init(datasetID: String, key: SymmetricKey, options: ImportOptions = try! ImportOptions(cidVersion: 1)) {
        self.datasetID = datasetID
        self.key = key
        self.options = options
    }

    /// Encrypts the tree under `directory` into `store`.
    /// - Throws: ``StorageError`` `.invalidDataset` for symlinks, special files or an unreadable tree; `.io`.
    public func encrypt(directory: String, into store: FileBlockStore) throws -> EncryptedDataset {
        guard case .directory = try kind(directory) else {
            throw StorageError(.invalidDataset, "\(directory) is not a directory; a dataset is a directory of files")
        }
        var files = [DatasetManifest.File]()
        var totals = (plain: UInt64(0), cipher: UInt64(0))
        let root = try encryptDirectory(directory, relative: "", store: store, files: &files, totals: &totals)
        let manifest = DatasetManifest(dataset: datasetID, files: files)
        let manifestEntry = try UnixFSImporter(options: options).importBytes(manifest.canonicalJSON(), into: store)
        try store.synchronise()
        return EncryptedDataset(
            contentRoot: root.cid, manifestCID: manifestEntry.cid, manifest: manifest, plaintextBytes: totals.plain,
            ciphertextBytes: totals.cipher)
    }

    private func encryptDirectory(
        _ path: String, relative: String, store: FileBlockStore, files: inout [DatasetManifest.File],
        totals: inout (plain: UInt64, cipher: UInt64)
    ) throws -> DAGEntry {
        var builder = DirectoryBuilder()
        let children = try DatasetEntry.entries(of: path, relative: relative)
        // The directory's files are encrypted side by side; their entries join in name order.
        var encrypted = try DatasetEntry.mapFiles(children) { try encryptFile($0.path, relative: $0.relative, store: store) }
        for child in children {
            let entry: DAGEntry
            switch child.kind {
            case .directory:
                entry = try encryptDirectory(child.path, relative: child.relative, store: store, files: &files, totals: &totals)
            case .regular:
                let result = encrypted.next()!
                files.append(result.file)
                totals.plain += result.file.size
                totals.cipher += result.entry.fileSize
                entry = result.entry
            case .symlink, .other:
                throw child.refusal
            }
            try builder.add(name: child.name, entry: entry)
        }
        return try builder.finish(options: options, to: store)
    }

    private func encryptFile(
        _ path: String, relative: String, store: FileBlockStore
    ) throws -> (file: DatasetManifest.File, entry: DAGEntry) {
        let reader = try ChunkedFileReader(path: path, chunkSize: EncryptedFileFormat.chunkSize * 4)
        var plaintext = StreamingFileImporter(options: DatasetManifest.plaintextOptions)
        var ciphertext = StreamingFileImporter(options: options)
        let discard = DiscardingBlockSink()
        let encryptor = try StreamingEncryptor(key: key, datasetID: datasetID, path: relative) { bytes in
            try bytes.withUnsafeBytes { try ciphertext.write($0, to: store) }
        }
        while true {
            let chunk = try reader.next()
            if chunk.isEmpty { break }
            try plaintext.write(chunk, to: discard)
            try encryptor.write(chunk)
        }
        try encryptor.finish()
        let plaintextRoot = try plaintext.finish(to: discard)
        let entry = try ciphertext.finish(to: store)
        return (DatasetManifest.File(path: relative, size: plaintext.byteCount, cid: plaintextRoot.cid.description), entry)
    }

    private func kind(_ path: String) throws(StorageError) -> FileKind {
        do {
            return try FileKind(path: path)
        } catch {
            throw StorageError(.invalidDataset, error.message)
        }
    }
}
