public import ContentAddressing
import Foundation
import LightboxCrypto

extension DatasetManifest {
    /// The manifest ``DatasetEncryptor`` will write for a directory, and its CID, computed from the plaintext
    /// alone: the same files (hidden ones left out, symlinks refused), the same order, the same CIDs. It lets a
    /// quality attestation name the manifest before the dataset is encrypted. `sha256` is each file's SHA-256 by
    /// path, of the same bytes the manifest describes, to compare with what was received and checked.
    /// - Throws: ``StorageError`` `.invalidDataset` for a symlink, a special file or an unreadable tree.
    public static func describing(
        directory: String, datasetID: String
    ) throws -> (manifest: DatasetManifest, cid: CID, sha256: [String: [UInt8]]) {
        var files: [File] = []
        var digests: [String: [UInt8]] = [:]
        try collect(directory, relative: "", into: &files, digests: &digests)
        let manifest = DatasetManifest(dataset: datasetID, files: files)
        let options = try ImportOptions(cidVersion: 1)
        let cid = try UnixFSImporter(options: options).importBytes(manifest.canonicalJSON(), into: DiscardingBlockSink()).cid
        return (manifest, cid, digests)
    }

    private static func collect(_ path: String, relative: String, into files: inout [File], digests: inout [String: [UInt8]]) throws {
        let children = try DatasetEntry.entries(of: path, relative: relative)
        // The directory's files are hashed side by side; they join the manifest in name order.
        var described = try DatasetEntry.mapFiles(children) { try describe($0.path, relative: $0.relative) }
        for child in children {
            switch child.kind {
            case .directory:
                try collect(child.path, relative: child.relative, into: &files, digests: &digests)
            case .regular:
                let (file, digest) = described.next()!
                digests[child.relative] = digest
                files.append(file)
            case .symlink, .other:
                throw child.refusal
            }
        }
    }

    /// One file's manifest entry (its plaintext CID) and SHA-256, from one read.
    private static func describe(_ path: String, relative: String) throws -> (File, [UInt8]) {
        let reader = try ChunkedFileReader(path: path, chunkSize: EncryptedFileFormat.chunkSize * 4)
        var importer = StreamingFileImporter(options: plaintextOptions)
        let discard = DiscardingBlockSink()
        let hasher = SHA256.Hasher()
        while true {
            let chunk = try reader.next()
            if chunk.isEmpty { break }
            hasher.update(chunk)
            try importer.write(chunk, to: discard)
        }
        let root = try importer.finish(to: discard)
        return (File(path: relative, size: importer.byteCount, cid: root.cid.description), hasher.finalize())
    }
}
