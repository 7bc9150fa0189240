#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in fixed-size chunks into one reused buffer (the size-N chunker), so memory stays at one chunk.
public final class ChunkedFileReader {
    private let descriptor: Int32
    private let path: String
    private let buffer: UnsafeMutableRawBufferPointer

    public init(path: String, chunkSize: Int) throws(ContentAddressingError) {
        self.descriptor = try Self.openForReading(path)
        self.path = path
        self.buffer = .allocate(byteCount: chunkSize, alignment: 64)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// A descriptor for reading `path` from start to end (the kernel told so, to read ahead).
    static func openForReading(_ path: String) throws(ContentAddressingError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ContentAddressingError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        return descriptor
    }

    /// The next chunk (full unless the file ends), empty at the end; valid until the next call.
    public func next() throws(ContentAddressingError) -> UnsafeRawBufferPointer {
        var filled = 0
        while filled < buffer.count {
            let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw ContentAddressingError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            filled += count
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
    }
}
