import Foundation
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import NIOHTTP1
import Storage
import Vision
import Testing

/// `POST /v1/uploads/{id}/archive`: a dataset as one tar archive, all or nothing, over real HTTP.
@Suite("Marketplace: archive uploads")
struct ArchiveUploadTests {
    @Test("archives made by GNU tar (gnu and pax formats, long names) arrive whole; every broken or hostile one leaves nothing", arguments: Backend.allCases)
    func archives(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            // A name past ustar's 100 bytes: GNU tar writes it as a long-name entry, pax as an extended header.
            let longName = "notes/" + String(repeating: "a", count: 120) + ".txt"
            try FileManager.default.createDirectory(atPath: dataset + "/notes", withIntermediateDirectories: true)
            try Data("long".utf8).write(to: URL(fileURLWithPath: dataset + "/" + longName))
            let originals = try Self.files(under: dataset)

            for format in ["gnu", "pax"] {
                let upload = try await Self.newUpload(node, token)
                let archive = try Self.tar(dataset, format: format)
                let reply = try await node.call(.POST, "/v1/uploads/\(upload)/archive", token: token, bytes: archive)
                #expect(reply.status == 201, "\(format): \(String(decoding: reply.body, as: UTF8.self))")
                #expect(try await Self.held(node, upload, token) == originals, "\(format): every file, byte for byte")
                #expect(try Self.files(under: node.market.uploads.directory(of: upload)) == originals)
            }

            let upload = try await Self.newUpload(node, token)
            let good = try Self.tar(dataset, format: "gnu")
            var corrupt = good
            corrupt[10] ^= 0x20  // a letter of the first name: the header's checksum no longer adds up
            var unended = TarFixture()
            unended.add("images/ok.png", Self.png)
            var deep = TarFixture()
            deep.add("images/ok.png", Self.png)
            deep.add("../escape.png", Self.png)
            var absolute = TarFixture()
            absolute.add("/etc/passwd.png", Self.png)
            var link = TarFixture()
            link.add("images/ok.png", Self.png)
            link.add("images/link.png", [], type: "2", linkName: "/etc/passwd")
            var fake = TarFixture()
            fake.add("images/ok.png", Self.png)
            fake.add("images/fake.png", Array("not a picture".utf8))
            var huge = TarFixture()
            huge.add("images/ok.png", Self.png)
            huge.add("images/huge.jpg", [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: 4 << 20))
            var twice = TarFixture()
            twice.add("images/ok.png", Self.png)
            twice.add("images/ok.png", Self.png)
            var clash = TarFixture()
            clash.add("images", Self.png)
            clash.add("images/ok.png", Self.png)
            let refusals: [(String, [UInt8], UInt, String)] = [
                ("cut short", Array(good.prefix(good.count / 2)), 400, "broken"),
                ("no end-of-archive block", unended.body, 400, "end-of-archive"),
                ("checksum", corrupt, 400, "checksum"),
                ("not a tar", Array("just some text".utf8), 400, "broken"),
                ("..", deep.bytes, 400, "'..'"),
                ("absolute", absolute.bytes, 400, "absolute"),
                ("symlink", link.bytes, 400, "link"),
                ("not an image", fake.bytes, 422, "images themselves"),
                ("over the file limit", huge.bytes, 413, "larger than"),
                ("a path twice", twice.bytes, 400, "twice"),
                ("a file where a folder is", clash.bytes, 409, "nothing was kept"),
            ]
            for (name, bytes, status, words) in refusals {
                let reply = try await node.call(.POST, "/v1/uploads/\(upload)/archive", token: token, bytes: bytes)
                let text = String(decoding: reply.body, as: UTF8.self)
                #expect(reply.status == status && text.contains(words), "\(name): \(reply.status) \(text)")
                #expect(try await Self.held(node, upload, token).isEmpty, "\(name): nothing recorded")
                let directory = node.market.uploads.directory(of: upload)
                #expect(((try? Self.files(under: directory)) ?? [:]).isEmpty, "\(name): nothing placed")
                #expect((try? FileManager.default.contentsOfDirectory(atPath: directory + ".partial"))?.isEmpty ?? true, "\(name): nothing staged")
            }
            #expect(try await node.call(.POST, "/v1/uploads/\(upload)/archive", token: try await node.signIn(.random()), bytes: good).status == 403)
            #expect(try await node.call(.POST, "/v1/uploads/\(upload)/archive", bytes: good).status == 401)
        }
    }

    @Test("archives written by TarWriter (long, deep and non-ASCII names) read back whole by GNU tar and by the server, with each file's CID recorded and its images analysed as they arrive", arguments: Backend.allCases)
    func writtenArchives(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            let dataset = try TestDatabases.temporaryDirectory().path
            defer { try? FileManager.default.removeItem(atPath: dataset) }
            try await MarketplaceHarness.generate(dataset)
            // Past ustar's 100-byte name: one that splits into prefix and name, one whose last part alone is too
            // long (a pax record), one too deep for the prefix; and a name in Greek.
            let extra = [
                "notes/" + String(repeating: "d", count: 80) + "/" + String(repeating: "e", count: 60) + ".txt",
                "notes/" + String(repeating: "f", count: 130) + ".txt",
                (0..<12).map { _ in String(repeating: "g", count: 20) }.joined(separator: "/") + "/h.txt",
                "notes/σημειώσεις.txt",
            ]
            for (index, path) in extra.enumerated() {
                try FileManager.default.createDirectory(
                    atPath: dataset + "/" + path.split(separator: "/").dropLast().joined(separator: "/"), withIntermediateDirectories: true)
                try Data("note \(index)".utf8).write(to: URL(fileURLWithPath: dataset + "/" + path))
            }
            let originals = try Self.files(under: dataset)
            var writer = TarWriter()
            for path in originals.keys.sorted() {
                writer.add(path: path, contents: try Array(Data(contentsOf: URL(fileURLWithPath: dataset + "/" + path))))
            }
            let archive = writer.finish()
            #expect(archive.count % 512 == 0)

            // GNU tar, the reference reader, extracts the same files.
            let extracted = dataset + ".extracted"
            let file = dataset + ".tar"
            defer { try? FileManager.default.removeItem(atPath: extracted); try? FileManager.default.removeItem(atPath: file) }
            try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
            try Data(archive).write(to: URL(fileURLWithPath: file))
            try Self.runTar(["-xf", file, "-C", extracted])
            #expect(try Self.files(under: extracted) == originals)

            let upload = try await Self.newUpload(node, token)
            let reply = try await node.call(.POST, "/v1/uploads/\(upload)/archive", token: token, bytes: archive)
            #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(try await Self.held(node, upload, token) == originals)
            // Each file's plaintext CID, recorded as it arrived, is the one the manifest gives the file on disk.
            let recorded = try await node.market.uploads.files(of: upload, logger: MarketplaceHarness.logger)
            let described = try DatasetManifest.describing(directory: node.market.uploads.directory(of: upload), datasetID: "x")
            #expect(recorded.count == originals.count)
            #expect(Dictionary(uniqueKeysWithValues: recorded.map { ($0.path, $0.cid) }) == Dictionary(uniqueKeysWithValues: described.manifest.files.map { ($0.path, Optional($0.cid)) }))
            // The archive's images were handed to the analysis as they arrived.
            let images = Set(originals.keys.filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") })
            let analysed = await node.market.arrivals.take(upload: upload)
            #expect(!images.isEmpty && Set(analysed.keys) == images)
            #expect(analysed.allSatisfy { path, summary in summary.sha256.hexString == originals[path] })
        }
    }

    @Test("files sent at once into folders that do not exist yet all arrive", arguments: Backend.allCases)
    func concurrentFiles(_ backend: Backend) async throws {
        try await MarketplaceHarness.run(backend) { node in
            let token = try await node.signIn(Secp256k1.PrivateKey.random())
            for round in 0..<3 {
                let upload = try await Self.newUpload(node, token)
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for index in 0..<12 {
                        group.addTask { try await node.call(.PUT, "/v1/uploads/\(upload)/files/a\(round)/b/c\(index % 3)/\(index).png", token: token, bytes: Self.png).status }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
                #expect(statuses == [UInt](repeating: 201, count: 12), "round \(round): \(statuses)")
                #expect(try await Self.held(node, upload, token).count == 12)
            }
        }
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]

    static func newUpload(_ node: MarketplaceHarness, _ token: String) async throws -> String {
        let created = try await node.call(.POST, "/v1/uploads", token: token)
        return try #require((created.json["upload"] as? [String: Any])?["id"] as? String)
    }

    /// The upload's files as the server lists them: path → SHA-256.
    static func held(_ node: MarketplaceHarness, _ upload: String, _ token: String) async throws -> [String: String] {
        let reply = try await node.call(.GET, "/v1/uploads/\(upload)", token: token)
        let files = reply.json["files"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: files.compactMap { file in
            (file["path"] as? String).flatMap { path in (file["sha256"] as? String).map { (path, $0) } }
        })
    }

    /// Every regular file under `root`: path → SHA-256 (hex).
    static func files(under root: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: root) ?? .init() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[path] = SHA256.hash(try Array(Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))).hexString
        }
        return files
    }

    /// `tar -c` of a folder's contents in GNU tar's `format`.
    static func tar(_ root: String, format: String) throws -> [UInt8] {
        let output = root + ".\(format).tar"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try runTar(["--format=\(format)", "-cf", output, "-C", root, "."])
        return try Array(Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// Runs GNU tar, the reference the archives are held to.
    static func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar \(arguments.joined(separator: " ")) failed")
    }
}

/// Builds ustar archives by hand, for entries no well-behaved tar would write.
struct TarFixture {
    private(set) var body: [UInt8] = []

    mutating func add(_ name: String, _ contents: [UInt8], type: Character = "0", linkName: String = "") {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        put(name, at: 0, width: 100)
        put("0000644", at: 100, width: 8)
        put("0000000", at: 108, width: 8)
        put("0000000", at: 116, width: 8)
        put(String(contents.count, radix: 8).leftPadded(to: 11), at: 124, width: 12)
        put("00000000000", at: 136, width: 12)
        put("        ", at: 148, width: 8)
        header[156] = type.asciiValue!
        put(linkName, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6) + "\0 ", at: 148, width: 8)
        body += header + contents + [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
    }

    /// The archive with its end-of-archive blocks.
    var bytes: [UInt8] { body + [UInt8](repeating: 0, count: 1024) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
