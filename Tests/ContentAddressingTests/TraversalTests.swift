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
