public import ContentAddressing
import Foundation

/// Blocks kept as files under a directory, laid out like Kubo's flatfs (`next-to-last/2` sharding, names in
/// upper-case base32 of the multihash), so the block for `CIQ…XYZ` lives in `blocks/XY/CIQ…XYZ.data`.
///
/// Writes are atomic (temporary file, then rename); every read is hashed and checked against the CID, and a
/// block that fails is removed and reported, so nothing unverified is ever served. Blocks are keyed by
/// multihash: a CIDv0 and a CIDv1 of the same bytes name one file. Writes are not flushed one by one;
/// ``synchronise()`` flushes the file system once an import is complete, and a block torn by a crash before that
/// fails verification on read and is dropped, or is replaced when the block is stored again.
public final class FileBlockStore: BlockSink, Sendable {
    /// The directory holding the block files.
    public let directory: String

    /// Opens (creating if needed) a blockstore in `directory`.
    public init(directory: String) throws(StorageError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.io, "cannot create the blockstore directory \(directory): \(error.localizedDescription)")
        }
    }

    /// Stores a block unless it is already there. The caller vouches for the CID (it computed or verified it).
    public func put(_ block: Block) throws(StorageError) {
        guard !block.cid.isIdentity else { return }
        let path = self.path(for: block.cid)
        // A file of the right length is the block (reads re-verify it); one torn by a crash is replaced.
        var info = stat()
        if stat(path, &info) == 0 && Int(info.st_size) == block.bytes.count { return }
        let shard = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: shard) {
            try? FileManager.default.createDirectory(atPath: shard, withIntermediateDirectories: true)
        }
        do {
            let writer = try AtomicFileWriter(path: path, bufferSize: 0, durable: false)
            try writer.write(block.bytes)
            try writer.commit()
        } catch {
            throw StorageError(.io, "cannot store block \(block.cid): \(error.message)")
        }
    }

    /// The block with `cid`, verified, or `nil` when it is not stored.
    /// - Throws: `.corruptBlock` when the stored bytes do not hash to `cid` (the file is removed);
    ///   `.invalidRequest` for a codec or hash Lightbox does not handle.
    public func get(_ cid: CID) throws(StorageError) -> Block? {
        do {
            try cid.requireSupportedCodec()
        } catch {
            throw StorageError(error, as: .invalidRequest)
        }
        if cid.isIdentity { return Block(cid: cid, bytes: cid.multihash.digest) }
        let path = self.path(for: cid)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count <= Block.maxByteCount, cid.verifies(bytes) else {
            try? FileManager.default.removeItem(atPath: path)
            throw StorageError(.corruptBlock, "stored block \(cid) was damaged on disk and has been removed; fetch it again")
        }
        return Block(cid: cid, bytes: bytes)
    }

    /// Whether a block is stored (not verified; ``get(_:)`` verifies).
    public func has(_ cid: CID) -> Bool {
        cid.isIdentity || FileManager.default.fileExists(atPath: path(for: cid))
    }

    /// Removes a block if it is stored.
    public func delete(_ cid: CID) {
        try? FileManager.default.removeItem(atPath: path(for: cid))
    }

    /// Flushes every block written so far to disk.
    /// - Throws: `.io` when the file system reports that it could not.
    public func synchronise() throws(StorageError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw StorageError(.io, "cannot open the blockstore \(directory): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard linuxSyncFS(descriptor) == 0 else {
            throw StorageError(.io, "cannot flush the blockstore \(directory) to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// The file that holds `cid`'s block.
    func path(for cid: CID) -> String {
        let key = Self.key(cid.multihash)
        let end = key.index(before: key.endIndex)
        let shard = key[key.index(end, offsetBy: -2)..<end]
        return "\(directory)/\(shard)/\(key).data"
    }

    /// Kubo's datastore key: upper-case unpadded base32 of the multihash bytes.
    static func key(_ multihash: Multihash) -> String {
        Base32.encode(multihash.bytes).uppercased()
    }
}

/// syncfs(2) flushes one file system; Glibc's module map hides it behind _GNU_SOURCE, so it is declared here.
@_silgen_name("syncfs")
private func linuxSyncFS(_ descriptor: Int32) -> Int32
