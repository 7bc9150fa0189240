#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Reads a file's chunks and builds (hashes) their leaves on every core, a batch of a few chunks at a time,
/// handing them back in file order — so a ``FileImporter`` fed from it gives the same DAG and CIDs as one fed
/// chunk by chunk, while SHA-256, the cost of a large file's import, runs on all cores. Each worker reads its own
/// chunk at its offset (`pread`) into its own reused buffer: memory is `batchSize` chunks and their leaves.
final class ParallelLeafBuilder {
    private let descriptor: Int32
    private let path: String
    private let options: ImportOptions
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var nextChunk = 0
    private var ended = false

    /// Eight chunks per core (2 MiB each at the default chunk size): batches long enough that the pause to add them
    /// in order is small beside the hashing.
    init(path: String, options: ImportOptions, batchSize: Int = 8 * ParallelLeafBuilder.processors) throws(ContentAddressingError) {
        descriptor = try ChunkedFileReader.openForReading(path)
        self.path = path
        self.options = options
        buffers = (0..<max(1, batchSize)).map { _ in .allocate(byteCount: options.chunkSize, alignment: 64) }
    }

    /// The processors online.
    static var processors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    deinit {
        close(descriptor)
        for buffer in buffers { buffer.deallocate() }
    }

    /// The leaves of the next chunks, in order; empty at the end of the file. The file ends at the first chunk
    /// shorter than the chunk size (an empty chunk is not a leaf).
    func nextLeaves() throws(ContentAddressingError) -> [FileImporter.Leaf] {
        guard !ended else { return [] }
        let count = buffers.count
        let results = UnsafeMutableBufferPointer<Result<FileImporter.Leaf?, ContentAddressingError>>.allocate(capacity: count)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let first = nextChunk
        let work = Work(descriptor: descriptor, path: path, options: options, buffers: buffers, first: first, results: results)
        DispatchQueue.concurrentPerform(iterations: count) { work.build($0) }
        var leaves: [FileImporter.Leaf] = []
        for index in 0..<count {
            let leaf = try results[index].get()
            guard let leaf else {
                ended = true
                break
            }
            leaves.append(leaf)
            if leaf.entry.fileSize < UInt64(options.chunkSize) {
                ended = true
                break
            }
        }
        nextChunk = first + count
        return leaves
    }

    /// One batch's shared state: each iteration writes only its own result slot and reads only its own buffer.
    private struct Work: @unchecked Sendable {
        let descriptor: Int32
        let path: String
        let options: ImportOptions
        let buffers: [UnsafeMutableRawBufferPointer]
        let first: Int
        let results: UnsafeMutableBufferPointer<Result<FileImporter.Leaf?, ContentAddressingError>>

        func build(_ index: Int) {
            let buffer = buffers[index]
            let offset = off_t((first + index) * options.chunkSize)
            var filled = 0
            while filled < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, offset + off_t(filled))
                if count < 0 {
                    if errno == EINTR { continue }
                    let error = ContentAddressingError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
                    return (results.baseAddress! + index).initialize(to: .failure(error))
                }
                if count == 0 { break }
                filled += count
            }
            let leaf = filled == 0 ? nil : FileImporter.leaf(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), options: options)
            (results.baseAddress! + index).initialize(to: .success(leaf))
        }
    }
}

