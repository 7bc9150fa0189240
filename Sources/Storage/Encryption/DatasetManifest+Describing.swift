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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw StorageError(.invalidDataset, "cannot list \(path): \(error.localizedDescription)")
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let childPath = path + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let kind: FileKind
            do {
                kind = try FileKind(path: childPath)
            } catch {
                throw StorageError(.invalidDataset, error.message)
            }
            switch kind {
            case .directory:
                try collect(childPath, relative: childRelative, into: &files, digests: &digests)
            case .regular:
                let reader = try ChunkedFileReader(path: childPath, chunkSize: EncryptedFileFormat.chunkSize * 4)
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
                digests[childRelative] = hasher.finalize()
                files.append(File(path: childRelative, size: importer.byteCount, cid: root.cid.description))
            case .symlink:
                throw StorageError(.invalidDataset, "\(childRelative) is a symlink; datasets may hold only files and directories")
            case .other:
                throw StorageError(.invalidDataset, "\(childRelative) is not a regular file or directory")
            }
        }
    }
}
