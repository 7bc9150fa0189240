/// Builds a file's UnixFS DAG from bytes arriving in pieces of any size (decrypted or encrypted streams),
/// cutting them into the chunker's fixed-size chunks for a ``FileImporter``. Memory is one chunk.
public struct StreamingFileImporter {
    private var importer: FileImporter
    private var pending: [UInt8] = []
    /// Bytes written so far.
    public private(set) var byteCount: UInt64 = 0

    public init(options: ImportOptions) {
        importer = FileImporter(options: options)
        pending.reserveCapacity(options.chunkSize)
    }

    /// Adds the next bytes of the file.
    public mutating func write(_ bytes: UnsafeRawBufferPointer, to sink: any BlockSink) throws {
        byteCount += UInt64(bytes.count)
        let chunkSize = importer.options.chunkSize
        var start = 0
        while start < bytes.count {
            // Whole chunks are taken where they lie.
            if pending.isEmpty && bytes.count - start >= chunkSize {
                try importer.add(chunk: UnsafeRawBufferPointer(rebasing: bytes[start..<start + chunkSize]), to: sink)
                start += chunkSize
                continue
            }
            let take = min(chunkSize - pending.count, bytes.count - start)
            pending.append(contentsOf: bytes[start..<start + take])
            start += take
            if pending.count == chunkSize {
                try importer.add(chunk: pending, to: sink)
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Adds the last partial chunk and returns the file's root.
    public mutating func finish(to sink: any BlockSink) throws -> DAGEntry {
        if !pending.isEmpty {
            try importer.add(chunk: pending, to: sink)
            pending.removeAll()
        }
        return try importer.finish(to: sink)
    }
}
