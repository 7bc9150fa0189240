import Foundation
import Testing

/// `lightbox cid` and `lightbox ipfs`, run as real processes.
@Suite("CLI: CIDs and IPFS")
struct StorageCommandTests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ContentAddressingTests/Fixtures/\(name)"))
    }

    @Test("lightbox cid prints the one line ipfs add -Q prints, for each flag combination")
    func cids() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data("hello world\n".utf8).write(to: directory.appendingPathComponent("hello.txt"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["hello.txt"], "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"),
            (["--cid-version", "1", "hello.txt"], "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
            (["--cid-version", "1", "--raw-leaves=false", "hello.txt"], "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"),
            (["--raw-leaves", "hello.txt"], "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
            (["empty"], "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"),
        ]
        for (arguments, expected) in cases {
            let output = try await LightboxProcess.run(["cid"] + arguments, in: directory)
            #expect(output.status == 0, "stderr: \(output.stderr)")
            #expect(output.stdout == expected + "\n", "\(arguments)")
        }
    }

    @Test("lightbox cid --car writes the same bytes as the reference CAR of 'hello world\\n'")
    func car() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data("hello world\n".utf8).write(to: directory.appendingPathComponent("hello.txt"))
        let output = try await LightboxProcess.run(["cid", "--car", "hello.car", "hello.txt"], in: directory)
        #expect(output.status == 0)
        #expect(try Data(contentsOf: directory.appendingPathComponent("hello.car")) == (try Self.fixture("hw_nl_v0.car")))
    }

    @Test("bad input: a missing path, a bad CID version, chunker or link count; each one line, exit 1, nothing written")
    func badInput() async throws {
        let directory = try LightboxProcess.workingDirectory()
        try Data("x".utf8).write(to: directory.appendingPathComponent("x"))
        let cases: [([String], String)] = [
            (["cid", "--car", "out.car", "missing.bin"], "cannot read missing.bin"),
            (["cid", "--cid-version", "2", "x"], "CID version must be 0 or 1"),
            (["cid", "--chunker", "rabin", "x"], "chunker 'rabin' is not supported"),
            (["cid", "--chunker", "size-0", "x"], "chunk size must be 1 to 2096896"),
            (["cid", "--chunker", "size-4194304", "x"], "chunk size must be 1 to 2096896"),
            (["cid", "--max-file-links", "1", "x"], "links per node must be 2 to 16384"),
            (["ipfs", "get", "--output", "o", "not-a-cid"], "is not a CID"),
            (["ipfs", "get", "--output", "o", "bafyreiadsbmmn4waznesyuz3bjgrj33xzqhxrk6mz3ksq7meugrachh3qe"], "uses codec dag-cbor"),
            (["ipfs", "get", "--output", "o", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"], "no IPFS gateways are configured"),
            (["ipfs", "publish", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"], "nothing to publish to"),
        ]
        for (arguments, message) in cases {
            let output = try await LightboxProcess.run(arguments, in: directory)
            #expect(output.status == 1, "\(arguments)")
            #expect(output.stderrLines.count == 1 && output.stderr.contains(message), "\(arguments): \(output.stderr)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "x" && $0 != ".lightbox" }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a disk that fills up while a CAR is written: a clear error, and no partial file")
    func diskFull() async throws {
        let directory = try LightboxProcess.workingDirectory()
        let big = directory.appendingPathComponent("big.bin")
        try FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: 3_000_000).write(to: big)
        // A file-size limit makes write(2) fail part-way (EFBIG), as a full disk (ENOSPC) would.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 2048; exec \"$0\" cid --car out.car big.bin", LightboxProcess.binary]
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationStatus == 1)
        #expect(message.contains("cannot write") && message.contains("nothing was kept"), "\(message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["big.bin"])
    }

    @Test("ipfs add puts a tree in the blockstore, serve's gateway answers for it, and ipfs get fetches it back verified")
    func addServeGet() async throws {
        let origin = try LightboxProcess.workingDirectory()
        let tree = origin.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let big = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try big.write(to: tree.appendingPathComponent("sub/big.bin"))
        try Data("label".utf8).write(to: tree.appendingPathComponent("a.txt"))
        let added = try await LightboxProcess.run(["ipfs", "add", "--cid-version", "1", "tree"], in: origin)
        #expect(added.status == 0, "\(added.stderr)")
        let root = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try await LightboxProcess.run(["cid", "--cid-version", "1", "tree"], in: origin)
        #expect(root == expected.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

        let port = try LightboxProcess.freePort()
        let server = try LightboxProcess.start(["serve", "--port", "\(port)"], in: origin)
        defer { server.signal(SIGTERM) }
        let base = "http://127.0.0.1:\(port)"
        _ = try await LightboxProcess.waitUntilServing(base + "/healthz", running: server)
        let probe = await LightboxProcess.get(base + "/ipfs/\(root)?format=raw")
        #expect(probe?.status == 200)

        let buyer = try LightboxProcess.workingDirectory()
        let fetched = try await LightboxProcess.run(
            ["ipfs", "get", "--output", "copy", root], in: buyer, environment: ["LIGHTBOX_STORAGE_GATEWAYS": base])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(try Data(contentsOf: buyer.appendingPathComponent("copy/sub/big.bin")) == big)
        #expect(try Data(contentsOf: buyer.appendingPathComponent("copy/a.txt")) == Data("label".utf8))
        let published = try await LightboxProcess.run(
            ["ipfs", "publish", root], in: buyer, environment: ["LIGHTBOX_STORAGE_GATEWAYS": base])
        #expect(published.status == 0 && published.stdout.contains("verified blocks through \(base)"), "\(published.stderr)")
        server.signal(SIGTERM)
        _ = try await server.wait(timeout: .seconds(30))
    }
}
