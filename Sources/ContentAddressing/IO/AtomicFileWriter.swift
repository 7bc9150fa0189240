#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it appears whole or not at all: bytes go to a temporary file beside the target,
/// which is flushed to disk and renamed over the target by ``commit()``. Any failure, or dropping the writer
/// without committing, removes the temporary file.
public final class AtomicFileWriter {
    /// The file that will exist after ``commit()``.
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit: Int
    private let durable: Bool
    private var done = false
    /// Bytes written so far (through ``write(_:)``, not counting ``write(_:at:)``).
    public private(set) var offset: UInt64 = 0

    /// Opens a temporary file beside `path`.
    /// - Parameters:
    ///   - bufferSize: Bytes collected before each write(2); 0 writes straight through.
    ///   - durable: Whether ``commit()`` flushes the file to disk before renaming it (skip it only when the
    ///     content is verified on every read, so a file torn by a crash is detected).
    public init(path: String, bufferSize: Int = 1 << 20, durable: Bool = true) throws(ContentAddressingError) {
        self.durable = durable
        self.path = path
        // A short name of its own (not the target's name plus a suffix), so a target whose name is near the
        // 255-byte limit can still be written.
        self.temporaryPath = Self.directory(of: path) + "/.lbx-partial-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        self.descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        self.bufferLimit = bufferSize
        guard descriptor >= 0 else {
            throw ContentAddressingError(.io, "cannot create a file beside \(path): \(Self.reason())")
        }
        buffer.reserveCapacity(bufferSize)
    }

    deinit { abandon() }

    /// Appends bytes.
    public func write(_ bytes: some Collection<UInt8>) throws(ContentAddressingError) {
        offset += UInt64(bytes.count)
        if buffer.count + bytes.count > bufferLimit { try flushBuffer() }
        if bytes.count > bufferLimit {
            try writeAll(Array(bytes), at: nil)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes bytes at an absolute position (to fill space reserved earlier, such as a CAR header).
    public func write(_ bytes: [UInt8], at position: UInt64) throws(ContentAddressingError) {
        try flushBuffer()
        try writeAll(bytes, at: position)
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws(ContentAddressingError) {
        try flushBuffer()
        guard !durable || fsync(descriptor) == 0 else { throw failure("cannot flush \(path) to disk") }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw failure("cannot finish writing \(path)") }
        guard rename(temporaryPath, path) == 0 else {
            let error = ContentAddressingError(.io, "cannot move the finished file to \(path): \(Self.reason())")
            abandon()
            throw error
        }
        done = true
        if durable {
            // The rename is durable only once the directory entry is on disk too.
            let directory = open(Self.directory(of: path), O_RDONLY | O_DIRECTORY)
            if directory >= 0 {
                _ = fsync(directory)
                close(directory)
            }
        }
    }

    /// Removes the temporary file; the target is left as it was.
    public func abandon() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }

    private func flushBuffer() throws(ContentAddressingError) {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer, at: nil)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8], at position: UInt64?) throws(ContentAddressingError) {
        guard !done else { throw ContentAddressingError(.io, "\(path) was already finished or abandoned") }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                if let position {
                    pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(position) + off_t(written))
                } else {
                    Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                }
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write \(path)")
            }
            written += result
        }
    }

    /// An error naming the cause (a full disk says so), after removing the partial file.
    private func failure(_ what: String) -> ContentAddressingError {
        let code = errno
        let hint = code == ENOSPC || code == EFBIG || code == EDQUOT ? "; free some space and try again" : ""
        let error = ContentAddressingError(.io, "\(what): \(String(cString: strerror(code)))\(hint); nothing was kept")
        abandon()
        return error
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
