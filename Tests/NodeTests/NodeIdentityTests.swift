import Foundation
import LightboxCrypto
import Node
import Testing

@Suite("Node identity and data directory")
struct NodeIdentityTests {
    private func freshDirectory() throws -> DataDirectory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString)/data").path
        return try DataDirectory.prepare(path).directory
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("keys are created once, with mode 0600 in a 0700 directory, and reloaded unchanged")
    func createAndReload() throws {
        let directory = try freshDirectory()
        let (first, created) = try NodeIdentity.loadOrCreate(in: directory)
        #expect(created.count == 4)
        #expect(try mode(directory.file("keys")) == 0o700)
        #expect(try mode(directory.file("keys/node-signing.key")) == 0o600)
        #expect(try mode(directory.file("keys/master.key")) == 0o600)
        #expect(try mode(directory.file("keys/node-account.key")) == 0o600)
        #expect(try mode(directory.file("keys/qa-signer.key")) == 0o600)
        let (second, createdAgain) = try NodeIdentity.loadOrCreate(in: directory)
        #expect(createdAgain.isEmpty)
        #expect(second.publicKey == first.publicKey)
        #expect(second.masterKey == first.masterKey)
        #expect(second.accountKey == first.accountKey)
        #expect(second.qaKey == first.qaKey && second.qaKey != first.accountKey)
        let message = Array("checkpoint".utf8)
        #expect(first.publicKey.isValidSignature(second.signingKey.signature(for: message), for: message))
    }

    @Test("processes starting together end up with the same keys")
    func concurrentCreation() async throws {
        let directory = try freshDirectory()
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 { group.addTask { try NodeIdentity.loadOrCreate(in: directory).identity.publicKey.bytes } }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("keys")).sorted()
        #expect(leftovers == ["master.key", "node-account.key", "node-signing.key", "qa-signer.key"])
    }

    @Test("a key file others can read is refused with the chmod to run")
    func looseKeyFile() throws {
        let directory = try freshDirectory()
        _ = try NodeIdentity.loadOrCreate(in: directory)
        let path = directory.file("keys/master.key")
        chmod(path, 0o644)
        let error = #expect(throws: NodeError.self) { try NodeIdentity.loadOrCreate(in: directory) }
        #expect(error?.message.contains("chmod 600 \(path)") == true)
    }

    @Test("a damaged key file is refused, not replaced")
    func damagedKeyFile() throws {
        let directory = try freshDirectory()
        _ = try NodeIdentity.loadOrCreate(in: directory)
        let path = directory.file("keys/node-signing.key")
        let fd = open(path, O_WRONLY | O_TRUNC)
        _ = write(fd, "{}", 2)
        close(fd)
        let error = #expect(throws: NodeError.self) { try NodeIdentity.loadOrCreate(in: directory) }
        #expect(error?.code == .keyFile)
        #expect(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) == "{}")
    }

    @Test("content keys wrapped by the node open only for the same dataset")
    func contentKeys() throws {
        let (identity, _) = try NodeIdentity.loadOrCreate(in: try freshDirectory())
        let contentKey = SymmetricKey.random()
        let wrapped = identity.wrap(contentKey: contentKey, datasetID: "ds-1")
        #expect(try identity.unwrap(contentKey: wrapped, datasetID: "ds-1") == contentKey)
        #expect(throws: CryptoError.self) { try identity.unwrap(contentKey: wrapped, datasetID: "ds-2") }
        let (other, _) = try NodeIdentity.loadOrCreate(in: try freshDirectory())
        #expect(throws: CryptoError.self) { try other.unwrap(contentKey: wrapped, datasetID: "ds-1") }
    }

    @Test("key material never shows in descriptions")
    func redaction() throws {
        let (identity, _) = try NodeIdentity.loadOrCreate(in: try freshDirectory())
        let text = "\(identity) \(String(reflecting: identity))"
        #expect(!text.contains(identity.signingKey.seed.hexString))
        #expect(!text.contains(identity.masterKey.bytes.hexString))
    }

    @Test("a data directory that is a file, or under one, or on a read-only filesystem is refused")
    func unusableDirectories() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let file = base.appendingPathComponent("plain-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for path in [file, file + "/data", "/proc/lightbox-data"] {
            let error = #expect(throws: NodeError.self) { try DataDirectory.prepare(path) }
            #expect(error?.code == .dataDirectory)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("--data-dir") == true)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["plain-file"])
    }
}
