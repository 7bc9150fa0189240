/// Builds a UnixFS directory from its entries: a basic directory node, or a HAMT when it is large.
///
/// Kubo's rule (boxo `io/directory.go`, "links" estimation): a directory is sharded when
/// Σ(len(name) + len(binary CID)) over its entries is strictly greater than the threshold (262144).
/// Each directory decides on its own. The entries are held in memory: about 100 bytes each.
public struct DirectoryBuilder {
    private var entries: [(name: [UInt8], entry: DAGEntry)] = []
    private var names = Set<[UInt8]>()
    private var estimatedSize = 0

    public init() {}

    /// The number of entries so far.
    public var count: Int { entries.count }

    /// Adds an entry.
    /// - Throws: `.unsafePath` for an empty name, ".", "..", a name containing "/" or a NUL, or a repeated name.
    public mutating func add(name: String, entry: DAGEntry) throws(ContentAddressingError) {
        try Self.checkName(name)
        let bytes = Array(name.utf8)
        guard names.insert(bytes).inserted else {
            throw ContentAddressingError(.unsafePath, "the directory already has an entry named '\(name)'")
        }
        entries.append((bytes, entry))
        estimatedSize += bytes.count + entry.cid.bytes.count
    }

    /// Encodes the directory, storing its node(s) in `sink`.
    public func finish(options: ImportOptions, to sink: any BlockSink) throws -> DAGEntry {
        if estimatedSize > options.shardingThreshold {
            return try HAMTShardBuilder(options: options, sink: sink).build(entries.map { ($0.name, $0.entry) })
        }
        let sorted = entries.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        let links = sorted.map { PBLink(cid: $0.entry.cid, name: String(decoding: $0.name, as: UTF8.self), totalSize: $0.entry.totalSize) }
        let node = PBNode(links: links, data: UnixFSData(kind: .directory).encoded())
        return try Self.store(node, options: options, sink: sink)
    }

    /// Stores a dag-pb node and returns it as an entry (its `Tsize` counts its block and its links').
    static func store(_ node: PBNode, options: ImportOptions, sink: any BlockSink) throws -> DAGEntry {
        let bytes = node.encoded()
        let cid = options.nodeCID(bytes)
        try sink.put(Block(cid: cid, bytes: bytes))
        let totalSize = node.links.reduce(UInt64(bytes.count)) { $0 + $1.totalSize }
        return DAGEntry(cid: cid, totalSize: totalSize, fileSize: 0)
    }

    /// Refuses names that could not be a single path component, so nothing can escape its directory.
    public static func checkName(_ name: String) throws(ContentAddressingError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
            throw ContentAddressingError(
                .unsafePath, "'\(name)' is not a valid file name: names may not be empty, '.', '..' or contain '/'")
        }
    }
}

/// Lays entries out as a UnixFS HAMT (fan-out 256, murmur3-x64-64), exactly as boxo's `hamt` package does.
///
/// A shard at depth d puts each entry in the bucket given by byte d of the name's hash; a bucket with one entry
/// links to it directly (link name: two upper-case hex digits and the entry name), a bucket with several holds a
/// child shard (link name: the two digits). The shard's data is the occupancy bitfield as a big-endian number
/// with leading zero bytes trimmed.
struct HAMTShardBuilder {
    let options: ImportOptions
    let sink: any BlockSink
    static let fanout = 256
    static let hashType: UInt64 = 0x22
    static let maxDepth = 8

    /// A bucket's link label: its index as two upper-case hex digits.
    static func label(_ index: Int) -> String {
        let digits = String(index, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    func build(_ entries: [(name: [UInt8], entry: DAGEntry)]) throws -> DAGEntry {
        let hashed = entries.map { (digest: Murmur3.digest64($0.name), name: $0.name, entry: $0.entry) }
        return try shard(hashed, depth: 0)
    }

    private func shard(_ entries: [(digest: [UInt8], name: [UInt8], entry: DAGEntry)], depth: Int) throws -> DAGEntry {
        guard depth < Self.maxDepth else {
            throw ContentAddressingError(.invalidNode, "two names in a sharded directory have the same 64-bit hash")
        }
        let buckets = Dictionary(grouping: entries) { Int($0.digest[depth]) }
        var bitfield = [UInt8](repeating: 0, count: Self.fanout / 8)
        var links = [PBLink]()
        for index in buckets.keys.sorted() {
            bitfield[bitfield.count - 1 - index / 8] |= 1 << UInt8(index % 8)
            let label = Self.label(index)
            let members = buckets[index]!
            if members.count == 1 {
                let member = members[0]
                links.append(PBLink(
                    cid: member.entry.cid, name: label + String(decoding: member.name, as: UTF8.self),
                    totalSize: member.entry.totalSize))
            } else {
                let child = try shard(members, depth: depth + 1)
                links.append(PBLink(cid: child.cid, name: label, totalSize: child.totalSize))
            }
        }
        let trimmed = Array(bitfield.drop { $0 == 0 })
        let data = UnixFSData(kind: .hamtShard, data: trimmed, hashType: Self.hashType, fanout: UInt64(Self.fanout))
        links.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return try DirectoryBuilder.store(PBNode(links: links, data: data.encoded()), options: options, sink: sink)
    }
}
