import ContentAddressing
import Foundation
import Testing

@Suite("CAR files")
struct CARTests {
    static func readAll(_ bytes: [UInt8], pieceSize: Int = 7) throws -> (header: CARHeader?, blocks: [Block]) {
        var reader = CARReader()
        var blocks = [Block]()
        var start = 0
        while start < bytes.count {
            reader.push(bytes[start..<min(start + pieceSize, bytes.count)])
            start += pieceSize
            while let block = try reader.nextBlock() { blocks.append(block) }
        }
        try reader.finish()
        return (reader.header, blocks)
    }

    @Test("the ipld and gateway-conformance fixtures read with every block verified, v1 and v2 alike")
    func fixtures() throws {
        let v1 = try Self.readAll(KuboTestData.fixture("carv1-basic.car"))
        let v2 = try Self.readAll(KuboTestData.fixture("carv2-basic.car"))
        #expect(v1.blocks.count == 8)  // dag-cbor, dag-pb and raw blocks: all verified by their hashes
        #expect(v2.blocks.count == 5)  // the CARv1 payload inside the v2 wrapper; the index after it is skipped
        #expect(v2.header?.roots.first?.description == "QmfEoLyB5NndqeKieExd1rtJzTduQUPEV8TwAYcUiy3H5Z")
        let hamt = try Self.readAll(KuboTestData.fixture("single-layer-hamt-with-multi-block-files.car"), pieceSize: 4096)
        #expect(hamt.blocks.count == 243)
        let hello = try Self.readAll(KuboTestData.fixture("hw_nl_v0.car"))
        #expect(hello.blocks.count == 1)
        #expect(hello.header?.roots.first?.description == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
    }

    @Test("the dir-with-files fixture extracts to files that re-import, with its chunking, to the same root")
    func dirWithFilesRoundTrip() throws {
        let car = try Self.readAll(KuboTestData.fixture("dir-with-files.car"))
        let root = try #require(car.header?.roots.first)
        let blocks = Dictionary(car.blocks.map { ($0.cid.multihash, $0) }) { first, _ in first }
        let out = KuboTestData.temporaryDirectory() + "/out"
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        try UnixFSExtractor { blocks[$0.multihash] }.extract(root, to: out)
        // The fixture was made with 256-byte chunks (its multiblock.txt has 256-byte leaves).
        #expect(try UnixFSImporter(options: ImportOptions(cidVersion: 1, chunkSize: 256)).importPath(out, into: DiscardingBlockSink()).cid == root)
    }

    @Test("a flipped byte, a cut stream and an oversized section are each refused")
    func damagedCARs() throws {
        let good = KuboTestData.fixture("hw_nl_v0.car")
        var flipped = good
        flipped[flipped.count - 2] ^= 0x01
        #expect(throws: ContentAddressingError(.hashMismatch, "")) { try Self.readAll(flipped) }
        #expect(throws: ContentAddressingError(.truncated, "")) { try Self.readAll(Array(good.dropLast(3))) }
        let header = CARHeader(roots: [CID.v1(.raw, Multihash.sha256([]))]).encoded()
        #expect(throws: ContentAddressingError(.blockTooLarge, "")) {
            try Self.readAll(header + Varint.encode(3 << 20) + [UInt8](repeating: 0, count: 64))
        }
        #expect(throws: ContentAddressingError.self) { try Self.readAll([0x05, 0xa1, 0x61, 0x61, 0x01, 0x00]) }
    }

    @Test("lightbox's CAR writer produces a CAR whose blocks rebuild the file, with the root in its header")
    func writerRoundTrip() throws {
        let directory = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = KuboTestData.bytes(1_000_000, seed: "car")
        try Data(data).write(to: URL(fileURLWithPath: directory + "/f"))
        for options in [ImportOptions.kuboDefault, try ImportOptions(cidVersion: 1)] {
            let importer = UnixFSImporter(options: options)
            let writer = try CARFileWriter(path: directory + "/f.car", rootCIDLength: try importer.rootCIDLength(forPath: directory + "/f"))
            let root = try importer.importPath(directory + "/f", into: writer).cid
            try writer.finish(root: root)
            let car = try Self.readAll([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/f.car"))), pieceSize: 65_536)
            #expect(car.header?.roots == [root])
            let blocks = Dictionary(car.blocks.map { ($0.cid.multihash, $0) }) { first, _ in first }
            var rebuilt = [UInt8]()
            try UnixFSExtractor { blocks[$0.multihash] }.readFile(root) { rebuilt += $0 }
            #expect(rebuilt == data)
        }
    }
}

@Suite("CAR files: hostile and awkward input")
struct CARHostileTests {
    static func carV2(wrapping v1: [UInt8], padding: Int, dataSize: UInt64? = nil) -> [UInt8] {
        func le(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        return CARReader.carV2PragmaForTests + [UInt8](repeating: 0, count: 16) + le(UInt64(51 + padding))
            + le(dataSize ?? UInt64(v1.count)) + le(0) + [UInt8](repeating: 0, count: padding) + v1
    }

    @Test("a CARv2 with padding before its payload reads the same in any piece size")
    func paddedV2() throws {
        let v1 = KuboTestData.fixture("hw_nl_v0.car")
        for pieceSize in [1, 5, 55, 4096] {
            let read = try CARTests.readAll(Self.carV2(wrapping: v1, padding: 8), pieceSize: pieceSize)
            #expect(read.blocks.count == 1, "pieces of \(pieceSize)")
        }
    }

    @Test("a CARv2 whose data size is smaller than its own header is refused, not trusted")
    func tinyDataSize() {
        let v1 = KuboTestData.fixture("hw_nl_v0.car")
        #expect(throws: ContentAddressingError(.invalidCAR, "")) { try CARTests.readAll(Self.carV2(wrapping: v1, padding: 0, dataSize: 1)) }
        #expect(throws: ContentAddressingError(.invalidCAR, "")) { try CARTests.readAll(Self.carV2(wrapping: v1, padding: 0, dataSize: 0)) }
    }
}
