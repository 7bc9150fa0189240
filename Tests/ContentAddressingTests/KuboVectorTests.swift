import ContentAddressing
import Foundation
import Testing

/// CIDs equal to the ones Kubo's own test suite and the UnixFS specification publish.
@Suite("Kubo's CID vectors")
struct KuboVectorTests {
    static func cid(_ bytes: [UInt8], _ options: ImportOptions = .kuboDefault) throws -> String {
        try UnixFSImporter(options: options).importBytes(bytes, into: DiscardingBlockSink()).cid.description
    }

    @Test("small files: empty, 'hello world' with and without newline, in v0, v1 and v1 without raw leaves")
    func smallFiles() throws {
        let v1 = try ImportOptions(cidVersion: 1)
        let v1NoRaw = try ImportOptions(cidVersion: 1, rawLeaves: false)
        #expect(try Self.cid([]) == "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
        #expect(try Self.cid([], v1NoRaw) == "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y")
        #expect(try Self.cid([], v1) == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        let hello = Array("hello world".utf8)
        #expect(try Self.cid(hello) == "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD")
        #expect(try Self.cid(hello, v1) == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        #expect(try Self.cid(hello, v1NoRaw) == "bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa")
        let helloNewline = Array("hello world\n".utf8)
        #expect(try Self.cid(helloNewline) == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
        #expect(try Self.cid(helloNewline, v1) == "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")
    }

    @Test("the exact bytes of small nodes match the specification's examples")
    func nodeBytes() throws {
        let sink = MemoryBlockSink()
        _ = try UnixFSImporter(options: .kuboDefault).importBytes([], into: sink)
        #expect(sink.blocks.map(\.bytes) == [[0x0a, 0x04, 0x08, 0x02, 0x18, 0x00]])
        let helloSink = MemoryBlockSink()
        _ = try UnixFSImporter(options: .kuboDefault).importBytes(Array("hello world\n".utf8), into: helloSink)
        #expect(helloSink.blocks[0].bytes == [0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c] + Array("hello world\n".utf8) + [0x18, 0x0c])
    }

    @Test("chunk and link-count boundaries: 262144, 262145, 174×262144 and 174×262144+1 bytes")
    func boundaries() throws {
        let v1 = try ImportOptions(cidVersion: 1)
        #expect(try Self.cid(KuboTestData.bytes(262_144, seed: "chunk-v0-seed")) == "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE")
        let over = KuboTestData.bytes(262_145, seed: "chunk-v0-seed")
        #expect(try Self.cid(over) == "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ")
        #expect(try Self.cid(over, v1) == "bafybeibyui7o3sbw3yifnewshhrbnuntcehluzvbkwgi5vmtsdobnc2c6y")
        let full = KuboTestData.bytes(174 * 262_144 + 1, seed: "v0-seed")
        #expect(try Self.cid(Array(full.dropLast())) == "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2")
        #expect(try Self.cid(full) == "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW")
        #expect(try Self.cid(Array(full.dropLast()), v1) == "bafybeidajp2ewrtxcagm2u3qstbk2kw5srzbu7g7oraqepajpgumviz3z4")
        #expect(try Self.cid(full, v1) == "bafybeifr472xiwfk53w5s7bayijk3lq2go6ocqqcfch6ygy5qwza5hkdl4")
    }

    @Test("unixfs-v1-2025 profile: 1 MiB chunks and 1024 links")
    func profile2025() throws {
        let profile = try ImportOptions(cidVersion: 1, chunkSize: 1_048_576, maxLinks: 1024)
        let data = KuboTestData.bytes(1_048_577, seed: "chunk-v1-seed")
        #expect(try Self.cid(Array(data.dropLast()), profile) == "bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta")
        #expect(try Self.cid(data, profile) == "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64")
    }

    @Test("256 MiB with --max-file-links 1024")
    func largeWithMoreLinks() throws {
        let options = try ImportOptions(maxLinks: 1024)
        #expect(try Self.cid(KuboTestData.bytes(256 << 20, seed: "hello world"), options)
            == "QmbBftNHWmjSWKLC49dMVrfnY8pjrJYntiAXirFJ7oJrNk")
    }

    @Test("directories: empty, and the basic/HAMT threshold exactly as Kubo draws it")
    func directories() throws {
        let root = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        #expect(try UnixFSImporter(options: .kuboDefault).importPath(root + "/empty", into: DiscardingBlockSink()).cid.description
            == "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn")
        #expect(try UnixFSImporter(options: ImportOptions(cidVersion: 1)).importPath(root + "/empty", into: DiscardingBlockSink()).cid.description
            == "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354")
        // 4096 names × (30 + 34) = 262144 stays a basic directory; 4033 × (31 + 34) = 262145 is sharded.
        try KuboTestData.hamtDirectory(at: root + "/basic", files: 4096, nameLength: 30, lastNameLength: 30, seed: "hamt-unixfs-v0-2015")
        try KuboTestData.hamtDirectory(at: root + "/hamt", files: 4033, nameLength: 31, lastNameLength: 31, seed: "hamt-unixfs-v0-2015")
        let importer = UnixFSImporter(options: .kuboDefault)
        #expect(try importer.importPath(root + "/basic", into: DiscardingBlockSink()).cid.description == "QmX5GtRk3TSSEHtdrykgqm4eqMEn3n2XhfkFAis5fjyZmN")
        #expect(try importer.importPath(root + "/hamt", into: DiscardingBlockSink()).cid.description == "QmeMiJzmhpJAUgynAcxTQYek5PPKgdv3qEvFsdV3XpVnvP")
    }

    @Test("Kubo's sharness sharding test: 2000 files, basic at a 1 GB threshold and a HAMT at 1 byte")
    func sharnessSharding() throws {
        let root = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for index in 1...2000 { try Data("\(index)\n".utf8).write(to: URL(fileURLWithPath: "\(root)/file\(index)")) }
        let basic = try ImportOptions(shardingThreshold: 1 << 30)
        let sharded = try ImportOptions(shardingThreshold: 1)
        let shardedV1 = try ImportOptions(cidVersion: 1, shardingThreshold: 1)
        #expect(try UnixFSImporter(options: basic).importPath(root, into: DiscardingBlockSink()).cid.description == "QmavrTrQG4VhoJmantURAYuw3bowq3E2WcvP36NRQDAC1N")
        #expect(try UnixFSImporter(options: sharded).importPath(root, into: DiscardingBlockSink()).cid.description == "QmSCJD1KYLhVVHqBK3YyXuoEqHt7vggyJhzoFYbT8v1XYL")
        #expect(try UnixFSImporter(options: shardedV1).importPath(root, into: DiscardingBlockSink()).cid.description == "bafybeibiemewfzzdyhq2l74wrd6qj2oz42usjlktgnlqv4yfawgouaqn4u")
        #expect(try UnixFSImporter(options: .kuboDefault).importPath(root + "/file100", into: DiscardingBlockSink()).cid.description == "QmZ3RfWk1u5LEGYLHA633B5TNJy3Du27K6Fny9wcxpowGS")
    }

    @Test("hidden files are left out unless asked for; symlinks are stored as symlinks")
    func hiddenAndSymlinks() throws {
        let root = KuboTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/a"))
        let before = try UnixFSImporter(options: .kuboDefault).importPath(root, into: DiscardingBlockSink()).cid
        try Data("secret".utf8).write(to: URL(fileURLWithPath: root + "/.hidden"))
        #expect(try UnixFSImporter(options: .kuboDefault).importPath(root, into: DiscardingBlockSink()).cid == before)
        let withHidden = try ImportOptions(includeHidden: true)
        #expect(try UnixFSImporter(options: withHidden).importPath(root, into: DiscardingBlockSink()).cid != before)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "a")
        let sink = MemoryBlockSink()
        _ = try UnixFSImporter(options: .kuboDefault).importPath(root, into: sink)
        let symlinkData = try sink.blocks.compactMap { block -> UnixFSData? in
            let node = try PBNode(decoding: block.bytes)
            return try node.data.map(UnixFSData.init(decoding:))
        }.first { $0.kind == .symlink }
        #expect(symlinkData?.data == Array("a".utf8))
        #expect(symlinkData?.fileSize == nil)
    }
}
