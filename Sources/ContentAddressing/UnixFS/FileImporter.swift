import LightboxCrypto

/// Builds a file's UnixFS DAG with Kubo's balanced layout, one chunk at a time.
///
/// Kubo's balanced builder fills a tree of `maxLinks`-wide nodes left to right with every leaf at the same depth,
/// growing a level whenever the current root is full and data remains. Building it bottom-up gives the same
/// tree: a level is packed into a node only when it is full and another entry arrives, and `finish()` packs
/// the partial right edge. Memory is one partial node per level (at most `maxLinks` entries each).
/// ```swift
/// var importer = FileImporter(options: .kuboDefault)
/// try importer.add(chunk: bytes[0..<262144], to: sink)
/// let root = try importer.finish(to: sink)
/// ```
public struct FileImporter {
    public let options: ImportOptions
    private var levels: [[DAGEntry]] = [[]]
    private var leafCount = 0

    public init(options: ImportOptions) {
        self.options = options
    }

    /// A leaf built apart from the importer, so that several can be built (hashed) at once; ``add(_:to:)`` takes
    /// them back in file order.
    public struct Leaf: Sendable {
        /// The leaf's block; nil when it was built without its bytes, for a sink that keeps none.
        public let block: Block?
        public let entry: DAGEntry
    }

    /// Adds the next chunk (every chunk but the last must be exactly `options.chunkSize` bytes).
    public mutating func add(chunk: UnsafeRawBufferPointer, to sink: any BlockSink) throws {
        try add(Self.leaf(chunk, options: options, keepingBytes: sink.keepsBlocks), to: sink)
    }

    /// Adds the next leaf, built by ``leaf(_:options:keepingBytes:)`` with this importer's options from the next
    /// chunk (with its bytes, unless `sink` keeps none).
    public mutating func add(_ leaf: Leaf, to sink: any BlockSink) throws {
        if let block = leaf.block {
            try sink.put(block)
        } else {
            precondition(!sink.keepsBlocks, "a leaf built without its bytes was given to a sink that keeps blocks")
        }
        try append(leaf.entry, level: 0, sink: sink)
        leafCount += 1
    }

    /// Adds the next chunk from an array.
    public mutating func add(chunk: [UInt8], to sink: any BlockSink) throws {
        try chunk.withUnsafeBytes { try add(chunk: $0, to: sink) }
    }

    /// Packs the partial right edge and returns the file's root.
    public mutating func finish(to sink: any BlockSink) throws -> DAGEntry {
        if leafCount == 0 {
            let empty = Self.leaf(UnsafeRawBufferPointer(start: nil, count: 0), options: options)
            try sink.put(empty.block!)
            return empty.entry
        }
        var level = 0
        while true {
            let isTop = levels.indices.dropFirst(level + 1).allSatisfy { levels[$0].isEmpty }
            if isTop && levels[level].count == 1 { return levels[level][0] }
            if !levels[level].isEmpty {
                let node = try pack(levels[level], sink: sink)
                levels[level] = []
                try append(node, level: level + 1, sink: sink)
            }
            level += 1
        }
    }

    private mutating func append(_ entry: DAGEntry, level: Int, sink: any BlockSink) throws {
        if level == levels.count { levels.append([]) }
        if levels[level].count == options.maxLinks {
            let node = try pack(levels[level], sink: sink)
            levels[level] = []
            try append(node, level: level + 1, sink: sink)
        }
        levels[level].append(entry)
    }

    private func pack(_ children: [DAGEntry], sink: any BlockSink) throws -> DAGEntry {
        let fileSize = children.reduce(0) { $0 + $1.fileSize }
        let unixfs = UnixFSData(kind: .file, fileSize: fileSize, blockSizes: children.map(\.fileSize))
        let node = PBNode(links: children.map { PBLink(cid: $0.cid, totalSize: $0.totalSize) }, data: unixfs.encoded())
        let bytes = node.encoded()
        let cid = options.nodeCID(bytes)
        try sink.put(Block(cid: cid, bytes: bytes))
        let totalSize = children.reduce(UInt64(bytes.count)) { $0 + $1.totalSize }
        return DAGEntry(cid: cid, totalSize: totalSize, fileSize: fileSize)
    }

    /// The leaf block of one chunk: raw bytes, or a dag-pb node holding a UnixFS file of them. Without
    /// `keepingBytes` only its CID and sizes are computed (the block is nil), hashing the chunk in place.
    public static func leaf(_ chunk: UnsafeRawBufferPointer, options: ImportOptions, keepingBytes: Bool = true) -> Leaf {
        let size = UInt64(chunk.count)
        if options.rawLeaves {
            let cid = CID.v1(.raw, Multihash.sha256(chunk))
            let entry = DAGEntry(cid: cid, totalSize: size, fileSize: size)
            return Leaf(block: keepingBytes ? Block(cid: cid, bytes: [UInt8](chunk)) : nil, entry: entry)
        }
        // PBNode{Data: UnixFS{Type: File, Data: chunk, filesize: n}}: the chunk between a few bytes of framing,
        // written in one buffer without building the intermediate messages (every byte of the file passes here),
        // or, when the bytes are not kept, hashed where the chunk lies.
        var unixfsLength = 2 + 1 + Varint.byteCount(size)
        if size > 0 { unixfsLength += 1 + Varint.byteCount(size) + chunk.count }
        var head: [UInt8] = [0x0a]
        Varint.append(UInt64(unixfsLength), to: &head)
        head.append(contentsOf: [0x08, 0x02])
        if size > 0 {
            head.append(0x12)
            Varint.append(size, to: &head)
        }
        var tail: [UInt8] = [0x18]
        Varint.append(size, to: &tail)
        let length = UInt64(head.count + chunk.count + tail.count)
        guard keepingBytes else {
            let hasher = SHA256.Hasher()
            head.withUnsafeBytes { hasher.update($0) }
            hasher.update(chunk)
            tail.withUnsafeBytes { hasher.update($0) }
            let cid = options.nodeCID(sha256: hasher.finalize())
            return Leaf(block: nil, entry: DAGEntry(cid: cid, totalSize: length, fileSize: size))
        }
        var bytes = head
        bytes.reserveCapacity(Int(length))
        bytes.append(contentsOf: chunk)
        bytes += tail
        let cid = options.nodeCID(bytes)
        return Leaf(block: Block(cid: cid, bytes: bytes), entry: DAGEntry(cid: cid, totalSize: length, fileSize: size))
    }
}
