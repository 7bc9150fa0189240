import ContentAddressing
import Foundation
import LightboxCrypto
import LightboxTestSupport
import Logging
import Persistence
import Storage
import Testing

@Suite("Encryption of sold data")
struct EncryptionTests {
    let key = SymmetricKey.random()

    @Test("files round-trip through the encrypted format at sizes around the chunk size")
    func roundTrip() throws {
        for size in [0, 1, 65_535, 65_536, 65_537, 200_000] {
            let plaintext = StorageFixtures.randomBytes(size)
            let sealed = try EncryptedFileFormat.encrypt(plaintext, key: key, datasetID: "d1", path: "a.png")
            #expect(sealed.count == EncryptedFileFormat.headerByteCount + size + 17 * max(1, (size + 65_535) / 65_536))
            #expect(try EncryptedFileFormat.decrypt(sealed, key: key, datasetID: "d1", path: "a.png") == plaintext)
        }
    }

    @Test("changing any byte of the ciphertext is detected")
    func everyByteTampered() throws {
        let small = try EncryptedFileFormat.encrypt(Array("a tiny annotation file".utf8), key: key, datasetID: "d1", path: "l.txt")
        for index in small.indices {
            var altered = small
            altered[index] ^= 0x01
            #expect(throws: StorageError(.decryptionFailed, "")) {
                try EncryptedFileFormat.decrypt(altered, key: key, datasetID: "d1", path: "l.txt")
            }
        }
        let large = try EncryptedFileFormat.encrypt(StorageFixtures.randomBytes(150_000), key: key, datasetID: "d1", path: "x")
        let chunk = 65_536 + 17
        let edges = (0..<3).flatMap { index -> [Int] in
            let start = EncryptedFileFormat.headerByteCount + index * chunk
            return Array(start..<start + 24) + Array(max(start, min(start + chunk, large.count) - 24)..<min(start + chunk, large.count))
        }
        for index in Set(edges + (0..<300).map { _ in Int.random(in: 0..<large.count) }) {
            var altered = large
            altered[index] ^= 0x80
            #expect(throws: StorageError(.decryptionFailed, "")) {
                try EncryptedFileFormat.decrypt(altered, key: key, datasetID: "d1", path: "x")
            }
        }
    }

    @Test("cutting, extending, the wrong key, dataset or path are each refused")
    func misuse() throws {
        let sealed = try EncryptedFileFormat.encrypt(StorageFixtures.randomBytes(140_000), key: key, datasetID: "d1", path: "x")
        let decrypt = { (bytes: [UInt8], key: SymmetricKey, dataset: String, path: String) in
            try EncryptedFileFormat.decrypt(bytes, key: key, datasetID: dataset, path: path)
        }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(Array(sealed.prefix(EncryptedFileFormat.headerByteCount + 2 * (65_536 + 17))), key, "d1", "x") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(Array(sealed.dropLast(1)), key, "d1", "x") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(sealed + [0], key, "d1", "x") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(sealed, SymmetricKey.random(), "d1", "x") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(sealed, key, "d2", "x") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(sealed, key, "d1", "y") }
        #expect(throws: StorageError(.decryptionFailed, "")) { try decrypt(Array(sealed.prefix(10)), key, "d1", "x") }
    }

    @Test("a manifest described with known entries takes them without reading the files, and reads a file whose size differs")
    func describingWithKnownEntries() throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try StorageFixtures.writeDataset(at: base + "/data")
        let full = try DatasetManifest.describing(directory: base + "/data", datasetID: "ds-1")
        #expect(Set(full.sha256.keys) == Set(files.keys))
        let entries = Dictionary(uniqueKeysWithValues: full.manifest.files.map { ($0.path, $0) })
        // Known entries give the same manifest, and only the other files are read (and have a SHA-256).
        let known = entries.filter { $0.key.hasPrefix("images/") }
        let partial = try DatasetManifest.describing(directory: base + "/data", datasetID: "ds-1", known: known)
        #expect(partial.manifest == full.manifest && partial.cid == full.cid)
        #expect(Set(partial.sha256.keys) == Set(files.keys).subtracting(known.keys))
        #expect(partial.sha256["labels.json"] == full.sha256["labels.json"])
        // A known entry is taken as it is (its CID is not recomputed) while the file's size matches; when it does
        // not, the file is read.
        let cat = entries["images/cat.png"]!
        let claimed = DatasetManifest.File(path: cat.path, size: cat.size, cid: entries["labels.json"]!.cid)
        let taken = try DatasetManifest.describing(directory: base + "/data", datasetID: "ds-1", known: [cat.path: claimed])
        #expect(taken.manifest.files.first { $0.path == cat.path } == claimed && taken.sha256[cat.path] == nil)
        let resized = DatasetManifest.File(path: cat.path, size: cat.size + 1, cid: claimed.cid)
        let read = try DatasetManifest.describing(directory: base + "/data", datasetID: "ds-1", known: [cat.path: resized])
        #expect(read.manifest == full.manifest && read.sha256[cat.path] == full.sha256[cat.path])
    }

    @Test("a dataset encrypts into ciphertext blocks and decrypts, verified against its manifest")
    func dataset() throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try StorageFixtures.writeDataset(at: base + "/data")
        let store = try FileBlockStore(directory: base + "/blocks")
        let encrypted = try DatasetEncryptor(datasetID: "ds-1", key: key).encrypt(directory: base + "/data", into: store)
        #expect(encrypted.manifest.files.map(\.path) == ["empty.txt", "images/cat.png", "images/nested/dog.jpg", "labels.json"])
        for file in encrypted.manifest.files {
            let plain = try UnixFSImporter(options: DatasetManifest.plaintextOptions).importBytes(files[file.path]!, into: DiscardingBlockSink())
            #expect(file.cid == plain.cid.description && file.size == UInt64(files[file.path]!.count))
        }
        // No plaintext reaches the blockstore.
        let catPrefix = Array(files["images/cat.png"]!.prefix(64))
        for path in try FileManager.default.subpathsOfDirectory(atPath: base + "/blocks") where path.hasSuffix(".data") {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/blocks/" + path)))
            #expect(bytes.firstRange(of: catPrefix) == nil)
        }
        var manifestBytes = [UInt8]()
        try UnixFSExtractor(source: store.get).readFile(encrypted.manifestCID) { manifestBytes += $0 }
        let manifest = try DatasetManifest(json: manifestBytes)
        #expect(manifest == encrypted.manifest)
        // The manifest described from the plaintext alone is the one encryption writes.
        let described = try DatasetManifest.describing(directory: base + "/data", datasetID: "ds-1")
        #expect(described.manifest == encrypted.manifest && described.cid == encrypted.manifestCID)

        let count = try DatasetDecryptor(datasetID: "ds-1", key: key, manifest: manifest)
            .decrypt(contentRoot: encrypted.contentRoot, source: store.get, to: base + "/out")
        #expect(count == files.count)
        for (path, bytes) in files {
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/out/" + path))) == bytes)
        }
        // The wrong key fails on the first chunk and leaves nothing behind.
        #expect(throws: StorageError(.decryptionFailed, "")) {
            try DatasetDecryptor(datasetID: "ds-1", key: SymmetricKey.random(), manifest: manifest)
                .decrypt(contentRoot: encrypted.contentRoot, source: store.get, to: base + "/wrong")
        }
        #expect(!FileManager.default.fileExists(atPath: base + "/wrong"))
        // A manifest that lies about a file is caught.
        var files2 = manifest.files
        files2[1] = DatasetManifest.File(path: files2[1].path, size: files2[1].size, cid: files2[0].cid)
        #expect(throws: StorageError(.invalidDataset, "")) {
            try DatasetDecryptor(datasetID: "ds-1", key: key, manifest: DatasetManifest(dataset: "ds-1", files: files2))
                .decrypt(contentRoot: encrypted.contentRoot, source: store.get, to: base + "/lied")
        }
        #expect(!FileManager.default.fileExists(atPath: base + "/lied"))
    }

    @Test("symlinks in a dataset are refused")
    func symlinks() throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try StorageFixtures.writeDataset(at: base + "/data")
        try FileManager.default.createSymbolicLink(atPath: base + "/data/passwd", withDestinationPath: "/etc/passwd")
        let store = try FileBlockStore(directory: base + "/blocks")
        #expect(throws: StorageError(.invalidDataset, "")) {
            try DatasetEncryptor(datasetID: "ds", key: key).encrypt(directory: base + "/data", into: store)
        }
    }

    @Test("content keys are stored only wrapped, are stable, and reach a buyer only sealed", arguments: Backend.allCases)
    func contentKeys(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in try await contentKeys(database) }
    }

    private func contentKeys(_ database: any Database) async throws {
        let logger = Logger(label: "lightbox.tests.keys")
        try await Migrator(migrations: StorageMigrations.all).migrate(database, logger: logger)
        let master = SymmetricKey.random()
        let keys = ContentKeyStore(database: database, wrapper: ContentKeyWrapper(masterKey: master))
        let dataset = "ds-\(UUID().uuidString)"
        #expect(try await keys.existingKey(for: dataset, logger: logger) == nil)
        let first = try await keys.key(for: dataset, logger: logger)
        #expect(try await keys.key(for: dataset, logger: logger) == first)
        let stored = try await database.query("SELECT wrapped_key FROM storage_content_keys WHERE dataset_id = \(dataset)", logger: logger)
        let wrapped = try stored[0].decode("wrapped_key", as: [UInt8].self)
        #expect(wrapped.firstRange(of: first.bytes) == nil)

        #expect(try await keys.wrappedKey(for: dataset, logger: logger) == wrapped)
        #expect(try await keys.wrappedKey(for: "ds-none", logger: logger) == nil)

        let buyer = X25519.KeyPair()
        let sealed = try keys.seal(wrapped: wrapped, datasetID: dataset, to: buyer.publicKey)
        #expect(try ContentKeyStore.open(sealed: sealed, with: buyer) == first)
        #expect(throws: StorageError(.decryptionFailed, "")) { try ContentKeyStore.open(sealed: sealed, with: X25519.KeyPair()) }

        let otherNode = ContentKeyStore(database: database, wrapper: ContentKeyWrapper(masterKey: SymmetricKey.random()))
        await #expect(throws: CryptoError.self) { try await otherNode.existingKey(for: dataset, logger: logger) }
        #expect(throws: CryptoError.self) { try otherNode.seal(wrapped: wrapped, datasetID: dataset, to: buyer.publicKey) }
    }
}

@Suite("Encryption of sold data: awkward names")
struct AwkwardNameTests {
    @Test("Unicode-equivalent names (NFC and NFD) and 250-byte names survive encryption and decryption")
    func names() throws {
        let base = StorageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let nfc = "caf\u{e9}.txt"
        let nfd = "cafe\u{301}.txt"
        let long = String(repeating: "n", count: 246) + ".png"
        try FileManager.default.createDirectory(atPath: base + "/data", withIntermediateDirectories: true)
        // An array, not a dictionary: Swift's String equality treats the two spellings of "café" as one key.
        let contents: [(String, [UInt8])] = [
            (nfc, [UInt8](repeating: 1, count: 10)), (nfd, [UInt8](repeating: 2, count: 20)), (long, [UInt8](repeating: 3, count: 30)),
        ]
        for (name, bytes) in contents { try Data(bytes).write(to: URL(fileURLWithPath: base + "/data/" + name)) }
        let key = SymmetricKey.random()
        let store = try FileBlockStore(directory: base + "/blocks")
        let encrypted = try DatasetEncryptor(datasetID: "names", key: key).encrypt(directory: base + "/data", into: store)
        #expect(encrypted.manifest.files.count == 3)
        let count = try DatasetDecryptor(datasetID: "names", key: key, manifest: encrypted.manifest)
            .decrypt(contentRoot: encrypted.contentRoot, source: store.get, to: base + "/out")
        #expect(count == 3)
        for (name, bytes) in contents {
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: base + "/out/" + name))) == bytes)
        }
    }
}
