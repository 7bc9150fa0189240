import ContentAddressing
import Foundation
import Testing

@Suite("DAG traversal and extraction")
struct TraversalTests {
    /// A 1 MiB file in 256 KiB chunks with 2 links per node: leaves at depth 2, so ranges prune whole subtrees.
    static func file() throws -> (root: CID, blocks: [Multihash: Block], data: [UInt8]) {
        let data = KuboTestData.bytes(1 << 20, seed: "walk")
        let sink = MemoryBlockSink()
        let root = try UnixFSImporter(options: ImportOptions(cidVersion: 1, maxLinks: 2)).importBytes(data, into: sink).cid
        return (root, Dictionary(sink.blocks.map { ($0.cid.multihash, $0) }) { first, _ in first }, data)
    }

    static func visited(_ root: CID, _ blocks: [Multihash: Block], scope: DAGScope, range: String? = nil) async throws -> [Block] {
        var out = [Block]()
        try await DAGWalker { blocks[$0.multihash] }.walk(
            root: root, scope: scope, range: try range.map { try EntityByteRange(parsing: $0) }) { out.append($0) }
        return out
    }

    @Test("dag-scope all visits every block once in depth-first pre-order; block visits only the root")
    func scopes() async throws {
        let (root, blocks, _) = try Self.file()
        let all = try await Self.visited(root, blocks, scope: .all)
        #expect(all.count == blocks.count)
        #expect(all.first?.cid == root)
        #expect(try await Self.visited(root, blocks, scope: .block).map(\.cid) == [root])
    }

    @Test("entity-bytes selects only the blocks covering the range, counting from the end when negative")
    func ranges() async throws {
        let (root, blocks, data) = try Self.file()
        let leaves = { (visited: [Block]) in visited.filter { $0.cid.codec == .raw }.flatMap(\.bytes) }
        let first = try await Self.visited(root, blocks, scope: .entity, range: "0:100")
        #expect(leaves(first) == Array(data[0..<262_144]))
        let last = try await Self.visited(root, blocks, scope: .entity, range: "-1:*")
        #expect(leaves(last) == Array(data[(3 * 262_144)...]))
        let middle = try await Self.visited(root, blocks, scope: .entity, range: "262144:524288")
        #expect(leaves(middle) == Array(data[262_144..<(3 * 262_144)]))
        let all = try await Self.visited(root, blocks, scope: .entity, range: "0:*")
        #expect(leaves(all) == data)
        #expect(throws: ContentAddressingError.self) { try EntityByteRange(parsing: "10:2") }
        #expect(throws: ContentAddressingError.self) { try EntityByteRange(parsing: "a:b") }
    }

    @Test("paths resolve through basic and sharded directories")
    func paths() async throws {
        let directory = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for index in 0..<50 { try Data("\(index)".utf8).write(to: URL(fileURLWithPath: "\(directory)/f\(index).txt")) }
        for threshold in [1 << 30, 1] {
            let sink = MemoryBlockSink()
            let root = try UnixFSImporter(options: ImportOptions(cidVersion: 1, shardingThreshold: threshold)).importPath(directory, into: sink).cid
            let blocks = Dictionary(sink.blocks.map { ($0.cid.multihash, $0) }) { first, _ in first }
            var last: Block?
            try await DAGWalker { blocks[$0.multihash] }.walk(root: root, path: ["f42.txt"], scope: .entity) { last = $0 }
            #expect(last?.bytes == Array("42".utf8))
            await #expect(throws: DAGWalker.PathNotFound.self) {
                try await DAGWalker { blocks[$0.multihash] }.walk(root: root, path: ["nope"], scope: .block) { _ in }
            }
        }
    }

    @Test("extraction refuses names that would escape the directory and leaves nothing behind")
    func unsafeNames() throws {
        let evilFile = Block(cid: CID.v1(.raw, Multihash.sha256(Array("pwned".utf8))), bytes: Array("pwned".utf8))
        for name in ["..", "../escape", "a/b", ""] {
            let node = PBNode(links: [PBLink(cid: evilFile.cid, name: name, totalSize: 5)], data: UnixFSData(kind: .directory).encoded())
            let bytes = node.encoded()
            let root = CID.v1(.dagPB, Multihash.sha256(bytes))
            let blocks = [root.multihash: Block(cid: root, bytes: bytes), evilFile.cid.multihash: evilFile]
            let base = KuboTestData.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: base) }
            #expect(throws: ContentAddressingError(.unsafePath, "")) {
                try UnixFSExtractor { blocks[$0.multihash] }.extract(root, to: base + "/out")
            }
            #expect(!FileManager.default.fileExists(atPath: base + "/out"))
            #expect(!FileManager.default.fileExists(atPath: base + "/escape"))
        }
    }
}

@Suite("DAG traversal: hostile DAGs")
struct HostileDAGTests {
    static func node(_ links: [(CID, UInt64)], sizes: [UInt64], fileSize: UInt64?) -> Block {
        let data = UnixFSData(kind: .file, fileSize: fileSize, blockSizes: sizes)
        let bytes = PBNode(links: links.map { PBLink(cid: $0.0, totalSize: $0.1) }, data: data.encoded()).encoded()
        return Block(cid: CID.v1(.dagPB, Multihash.sha256(bytes)), bytes: bytes)
    }

    @Test("block sizes that overflow or do not add up are refused, never trusted")
    func overflowingSizes() async throws {
        let leaf = Block(cid: CID.v1(.raw, Multihash.sha256([1])), bytes: [1])
        let huge = UInt64(Int64.max)
        let bad = Self.node([(leaf.cid, 1), (leaf.cid, 1), (leaf.cid, 1)], sizes: [huge, huge, huge], fileSize: nil)
        #expect(throws: ContentAddressingError(.invalidNode, "")) { try UnixFSNode(bad) }
        let lying = Self.node([(leaf.cid, 1)], sizes: [1], fileSize: 1000)
        #expect(throws: ContentAddressingError(.invalidNode, "")) { try UnixFSNode(lying) }
        let wrongChild = Self.node([(leaf.cid, 1)], sizes: [7], fileSize: 7)
        let blocks = [leaf.cid.multihash: leaf, wrongChild.cid.multihash: wrongChild]
        await #expect(throws: ContentAddressingError(.invalidNode, "")) {
            try await DAGWalker { blocks[$0.multihash] }.walk(root: wrongChild.cid, scope: .entity) { _ in }
        }
    }

    @Test("entity scope visits every chunk, an empty one too, and walks a repeated chunk once")
    func emptyAndRepeatedChunks() async throws {
        let leaf = Block(cid: CID.v1(.raw, Multihash.sha256([1, 2, 3])), bytes: [1, 2, 3])
        let empty = Block(cid: CID.v1(.raw, Multihash.sha256([])), bytes: [])
        let root = Self.node([(leaf.cid, 3), (empty.cid, 0)], sizes: [3, 0], fileSize: 3)
        let blocks = [leaf.cid.multihash: leaf, empty.cid.multihash: empty, root.cid.multihash: root]
        var visited = [CID]()
        try await DAGWalker { blocks[$0.multihash] }.walk(root: root.cid, scope: .entity) { visited.append($0.cid) }
        #expect(visited == [root.cid, leaf.cid, empty.cid])

        // 64 MiB of zeros: 256 identical leaves under two identical-but-for-count subtrees.
        let sink = MemoryBlockSink()
        let zeros = try UnixFSImporter(options: ImportOptions(cidVersion: 1)).importBytes([UInt8](repeating: 0, count: 64 << 20), into: sink)
        let stored = Dictionary(sink.blocks.map { ($0.cid.multihash, $0) }) { first, _ in first }
        var reads = 0
        var emitted = 0
        try await DAGWalker { cid in
            reads += 1
            return stored[cid.multihash]
        }.walk(root: zeros.cid, scope: .entity, range: try EntityByteRange(parsing: "0:*")) { _ in emitted += 1 }
        #expect(emitted == Set(sink.blocks.map(\.cid)).count)
        #expect(reads <= 8, "reads: \(reads)")
    }
}
