public import ContentAddressing
import Foundation
import LightboxCrypto

extension DatasetManifest {
    /// The manifest ``DatasetEncryptor`` will write for a directory, and its CID, computed from the plaintext
    /// alone: the same files (hidden ones left out, symlinks refused), the same order, the same CIDs. It lets a
    /// quality attestation name the manifest before the dataset is encrypted. `sha256` is each file's SHA-256 by
    /// path, of the same bytes the manifest describes, to compare with what was received and checked.
    ///
    /// `known` holds entries already computed elsewhere — a file's CID recorded as its bytes arrived — which are
    /// taken as they are for a file of that path and size, without reading it again; such files have no `sha256`.
    /// - Throws: ``StorageError`` `.invalidDataset` for a symlink, a special file or an unreadable tree.
    public static func describing(
        directory: String, datasetID: String, known: [String: File] = [:]
    ) throws -> (manifest: DatasetManifest, cid: CID, sha256: [String: [UInt8]]) {
        var files: [File] = []
        var digests: [String: [UInt8]] = [:]
        try collect(directory, relative: "", known: known, into: &files, digests: &digests)
        let manifest = DatasetManifest(dataset: datasetID, files: files)
        let options = try ImportOptions(cidVersion: 1)
        let cid = try UnixFSImporter(options: options).importBytes(manifest.canonicalJSON(), into: DiscardingBlockSink()).cid
        return (manifest, cid, digests)
    }

    private static func collect(
        _ path: String, relative: String, known: [String: File], into files: inout [File], digests: inout [String: [UInt8]]
    ) throws {
        let children = try DatasetEntry.entries(of: path, relative: relative)
        // The directory's files are hashed side by side; they join the manifest in name order.
        var described = try DatasetEntry.mapFiles(children) { child -> (File, [UInt8]?) in
            // Named as on disk, as the encryptor will name it.
            if let entry = known[child.relative], entry.size == size(of: child.path) {
                return (File(path: child.relative, size: entry.size, cid: entry.cid), nil)
            }
            let (file, digest) = try describe(child.path, relative: child.relative)
            return (file, digest)
        }
        for child in children {
            switch child.kind {
            case .directory:
                try collect(child.path, relative: child.relative, known: known, into: &files, digests: &digests)
            case .regular:
                let (file, digest) = described.next()!
                if let digest { digests[child.relative] = digest }
                files.append(file)
            case .symlink, .other:
                throw child.refusal
            }
        }
    }

    private static func size(of path: String) -> UInt64? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt64(status.st_size) : nil
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
