import ContentAddressing
import Foundation
import Testing

/// A file imported with its leaves hashed on every core gives exactly the blocks, in exactly the order, that
/// feeding the importer one chunk at a time gives.
@Suite("Parallel leaf hashing")
struct ParallelImportTests {
    final class RecordingSink: BlockSink {
        var blocks: [Block] = []
        func put(_ block: Block) throws { blocks.append(block) }
    }

    @Test("same blocks in the same order as a chunk-by-chunk import, across batch boundaries", arguments: [
        0, 1, 255, 256, 257, 256 * 3, 256 * 7 + 1, 256 * 8, 256 * 9 - 1, 256 * 40 + 17,
    ])
    func sameBlocks(size: Int) throws {
        let directory = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        let bytes = KuboTestData.bytes(size, seed: "parallel-\(size)")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        for options in [try ImportOptions(cidVersion: 0, chunkSize: 256, maxLinks: 3), try ImportOptions(cidVersion: 1, chunkSize: 256)] {
            let parallel = RecordingSink()
            let root = try UnixFSImporter(options: options).importFile(at: path, into: parallel)
            let sequential = RecordingSink()
            var importer = FileImporter(options: options)
            for start in stride(from: 0, to: bytes.count, by: 256) {
                try importer.add(chunk: Array(bytes[start..<min(bytes.count, start + 256)]), to: sequential)
            }
            let expected = try importer.finish(to: sequential)
            #expect(root == expected, "size \(size)")
            #expect(parallel.blocks == sequential.blocks, "size \(size)")
            // A sink that keeps no bytes is given leaves hashed in place: the same root, read in parallel from the
            // file or streamed in pieces that straddle the chunks.
            #expect(try UnixFSImporter(options: options).importFile(at: path, into: DiscardingBlockSink()) == expected, "size \(size)")
            var streamed = StreamingFileImporter(options: options)
            for start in stride(from: 0, to: bytes.count, by: 700) {
                try bytes[start..<min(bytes.count, start + 700)].withUnsafeBytes { try streamed.write($0, to: DiscardingBlockSink()) }
            }
            #expect(try streamed.finish(to: DiscardingBlockSink()) == expected, "size \(size)")
        }
    }

    @Test("an unreadable file is refused with its path")
    func unreadable() {
        let error = #expect(throws: ContentAddressingError.self) {
            try UnixFSImporter(options: .kuboDefault).importFile(at: "/nonexistent/file", into: DiscardingBlockSink())
        }
        #expect(error?.description.contains("/nonexistent/file") == true)
    }
}
