#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's chunks and builds (hashes) their leaves on every core, a batch of a few chunks at a time,
/// handing them back in file order — so a ``FileImporter`` fed from it gives the same DAG and CIDs as one fed
/// chunk by chunk, while SHA-256, the cost of a large file's import, runs on all cores. Each worker reads its own
/// chunk at its offset (`pread`) into its own reused buffer: memory is `batchSize` chunks and their leaves.
final class ParallelLeafBuilder {
    private let descriptor: Int32
    private let path: String
    private let options: ImportOptions
    private let buffers: [UnsafeMutableRawBufferPointer]
    /// Whether the leaves carry their bytes (their blocks are stored), or only their CIDs.
    private let keepingBytes: Bool
    private var nextChunk = 0
    private var ended = false

    /// Eight chunks per core (2 MiB each at the default chunk size): batches long enough that the pause to add them
    /// in order is small beside the hashing.
    init(
        path: String, options: ImportOptions, keepingBytes: Bool = true, batchSize: Int = 8 * ConcurrentMap.workers
    ) throws(ContentAddressingError) {
        descriptor = try ChunkedFileReader.openForReading(path)
        self.path = path
        self.options = options
        self.keepingBytes = keepingBytes
        buffers = (0..<max(1, batchSize)).map { _ in .allocate(byteCount: options.chunkSize, alignment: 64) }
    }

    deinit {
        close(descriptor)
        for buffer in buffers { buffer.deallocate() }
    }

    /// The leaves of the next chunks, in order; empty at the end of the file. The file ends at the first chunk
    /// shorter than the chunk size (an empty chunk is not a leaf).
    func nextLeaves() throws(ContentAddressingError) -> [FileImporter.Leaf] {
        guard !ended else { return [] }
        let first = nextChunk
        let reader = ChunkReader(descriptor: descriptor, path: path, options: options, keepingBytes: keepingBytes, first: first)
        let built: [FileImporter.Leaf?]
        do {
            built = try ConcurrentMap.map(buffers.indices.map { ($0, buffers[$0]) }) { index, buffer in
                try reader.leaf(index, into: buffer)
            }
        } catch let error as ContentAddressingError {
            throw error
        } catch {
            throw ContentAddressingError(.io, "cannot read \(path): \(error)")
        }
        var leaves: [FileImporter.Leaf] = []
        for leaf in built {
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
        nextChunk = first + buffers.count
        return leaves
    }

    /// Reads chunk `first + index` into its buffer and builds its leaf; shared by the workers, each with its own
    /// buffer.
    private struct ChunkReader: @unchecked Sendable {
        let descriptor: Int32
        let path: String
        let options: ImportOptions
        let keepingBytes: Bool
        let first: Int

        func leaf(_ index: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ContentAddressingError) -> FileImporter.Leaf? {
            let offset = off_t((first + index) * options.chunkSize)
            var filled = 0
            while filled < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, offset + off_t(filled))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw ContentAddressingError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                filled += count
            }
            return filled == 0 ? nil : FileImporter.leaf(
                UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), options: options, keepingBytes: keepingBytes)
        }
    }
}
