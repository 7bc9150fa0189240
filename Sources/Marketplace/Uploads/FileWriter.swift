import ContentAddressing
import Foundation
import LightboxCrypto
import Node
import Storage

/// Writes one uploaded file to its temporary place, counting and hashing as it goes: its SHA-256, and its plaintext
/// CID as the dataset's manifest will name it, so that neither has to be read back from disk later.
public final class FileWriter: @unchecked Sendable {
    /// What was written.
    struct Written {
        let size: Int64
        let sha256: [UInt8]
        /// The plaintext CID (``DatasetManifest/plaintextOptions``).
        let cid: String
        /// The first bytes, to check an image's signature.
        let head: [UInt8]
    }

    private let descriptor: Int32
    private let limit: Int64
    private let limits: UploadLimits
    private let uploadBytes: Int64
    private let hasher = SHA256.Hasher()
    private var importer = StreamingFileImporter(options: DatasetManifest.plaintextOptions)
    private let discard = DiscardingBlockSink()
    private var written: Int64 = 0
    private var head: [UInt8] = []
    private var closed = false

    init(path: String, limit: Int64, limits: UploadLimits, uploadBytes: Int64) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, PrivateFiles.fileMode)
        guard descriptor >= 0 else {
            throw MarketplaceError(.conflict, "cannot write the upload's temporary file: \(String(cString: strerror(errno)))")
        }
        self.limit = limit
        self.limits = limits
        self.uploadBytes = uploadBytes
    }

    /// Appends the next piece of the file.
    /// - Throws: ``MarketplaceError`` `.tooLarge` as soon as the file or the upload passes its limit.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        written += Int64(bytes.count)
        guard written <= limit else {
            if written > limits.fileBytes {
                throw MarketplaceError(.tooLarge, "the file is larger than \(limits.fileBytes) bytes, the most one file may be")
            }
            throw MarketplaceError(
                .tooLarge, "the upload would pass \(limits.uploadBytes) bytes (it holds \(uploadBytes) already), the most an upload may hold")
        }
        if head.count < 8 { head += bytes.prefix(8 - head.count) }
        hasher.update(bytes)
        try importer.write(bytes, to: discard)
        var offset = 0
        while offset < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            guard count > 0 else {
                throw MarketplaceError(.conflict, "cannot write the uploaded file: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
    }

    /// Flushes the file to disk and closes it.
    func finish() throws -> Written {
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw MarketplaceError(.conflict, "cannot write the uploaded file: \(String(cString: strerror(errno)))")
        }
        closed = true
        let root = try importer.finish(to: discard)
        return Written(size: written, sha256: hasher.finalize(), cid: root.cid.description, head: head)
    }

    func abandon() {
        if !closed { close(descriptor); closed = true }
    }
}
