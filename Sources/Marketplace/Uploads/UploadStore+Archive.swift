import Foundation
import Node
public import LightboxCrypto
public import Logging

extension UploadStore {
    /// Receives a tar archive of dataset files into an upload, all or nothing: every entry's path, size and
    /// image signature is checked as for single files, the upload's limits hold for the archive as a whole, and
    /// unless the whole archive is read and fits, none of its files is kept. Files already at its paths are
    /// replaced. `body` passes the archive's bytes to the reader, piece by piece.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` for a broken archive, a bad path, a path twice, or an entry
    ///   that is not a file or a folder; `.tooLarge` past a limit; `.unprocessable` for an image that is not one;
    ///   whatever `body` throws.
    public func receiveArchive(
        upload id: String, owner: EthereumAddress, logger: Logger,
        body: (inout ArchiveReceiver) async throws -> Void
    ) async throws -> [Upload.File] {
        let upload = try await localUpload(id, owner: owner, logger: logger)
        let held = Dictionary(
            try await files(of: id, logger: logger).map { ($0.path, $0.size) }, uniquingKeysWith: { first, _ in first })
        let staging = try stagingFolder(of: id) + "/archive-" + SecureRandom.bytes(count: 8).hexString
        try PrivateFiles.makeFolder(staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var receiver = ArchiveReceiver(staging: staging, limits: limits, uploadBytes: upload.byteCount, held: held)
        do {
            try await body(&receiver)
            try receiver.finish()
        } catch {
            receiver.abandon()
            throw error
        }
        try Self.checkFolders(receiver.received.map(\.path), held: Set(held.keys))
        let staged = receiver.received.map {
            StagedFile(path: $0.path, temporary: $0.temporary, file: Upload.File(path: $0.path.description, size: $0.size, sha256: $0.sha256, cid: $0.cid))
        }
        try await commit(staged, to: id, owner: owner, logger: logger)
        return staged.map(\.file)
    }
}

extension UploadStore {
    /// Refuses, before anything is placed, an archive whose files would need a folder where a file is or a file
    /// where a folder is (among themselves or with the files the upload holds).
    package static func checkFolders(_ paths: [UploadPath], held: Set<String>) throws {
        let files = held.union(paths.map(\.description))
        var folders = Set<String>()
        for path in files {
            let components = path.split(separator: "/")
            for depth in 1..<max(components.count, 1) { folders.insert(components.prefix(depth).joined(separator: "/")) }
        }
        for path in paths {
            if folders.contains(path.description) {
                throw MarketplaceError(.conflict, "\(path) is a file in the archive but a folder of other files; nothing was kept")
            }
            for depth in 1..<max(path.components.count, 1) where files.contains(path.components.prefix(depth).joined(separator: "/")) {
                throw MarketplaceError(.conflict, "\(path) needs a folder where there is a file; nothing was kept")
            }
        }
    }
}

/// Takes an archive's bytes for ``UploadStore/receiveArchive(upload:owner:logger:body:)``: each file goes to a
/// staging folder through a ``FileWriter`` (hashed, counted, held to the limits) and is checked when it ends.
public struct ArchiveReceiver: TarReader.Consumer {
    package struct Received {
        package let path: UploadPath
        package let temporary: String
        package let size: Int64
        package let sha256: String
        package let cid: String
    }

    let staging: String
    let limits: UploadLimits
    /// The upload's files before the archive, by path, with their sizes.
    let held: [String: Int64]
    private var reader = TarReader()
    package private(set) var received: [Received] = []
    private var paths: Set<String> = []
    private var current: (path: UploadPath, temporary: String, writer: FileWriter)?
    /// Bytes of the upload once the archive's files so far replace or join the held ones.
    private var uploadBytes: Int64
    private var fileCount: Int

    package init(staging: String, limits: UploadLimits, uploadBytes: Int64, held: [String: Int64]) {
        self.staging = staging
        self.limits = limits
        self.held = held
        self.uploadBytes = uploadBytes
        fileCount = held.count
    }

    /// Reads the next piece of the archive.
    public mutating func read(_ bytes: UnsafeRawBufferPointer) throws {
        var reader = self.reader
        defer { self.reader = reader }
        try reader.read(bytes, into: &self)
    }

    package mutating func finish() throws {
        try reader.finish()
        guard !received.isEmpty else { throw MarketplaceError(.invalidRequest, "the archive holds no files") }
    }

    package mutating func abandon() {
        current?.writer.abandon()
        current = nil
    }

    mutating func begin(path text: String, size: Int64) throws {
        let path = try UploadPath(text.hasPrefix("./") ? String(text.dropFirst(2)) : text)
        guard paths.insert(path.description).inserted else {
            throw MarketplaceError(.invalidRequest, "the archive holds \(path) twice; each path may appear once")
        }
        let replaced = held[path.description] ?? 0
        if held[path.description] == nil {
            fileCount += 1
            guard fileCount <= limits.files else {
                throw MarketplaceError(.tooLarge, "the upload would hold more than \(limits.files) files, the most an upload may hold")
            }
        }
        guard size <= limits.fileBytes else {
            throw MarketplaceError(.tooLarge, "\(path) is larger than \(limits.fileBytes) bytes, the most one file may be")
        }
        let before = uploadBytes - replaced
        let temporary = staging + "/" + String(received.count)
        current = (path, temporary, try FileWriter(path: temporary, limit: min(limits.fileBytes, limits.uploadBytes - before), limits: limits, uploadBytes: before))
        uploadBytes = before + size
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        try current?.writer.write(bytes)
    }

    mutating func end() throws {
        guard let current else { return }
        self.current = nil
        let written = try current.writer.finish()
        if let mismatch = ImageSignature.mismatch(path: current.path, head: written.head) {
            throw MarketplaceError(.unprocessable, "\(mismatch); the archive must hold the images themselves")
        }
        received.append(Received(
            path: current.path, temporary: current.temporary, size: written.size, sha256: written.sha256.hexString, cid: written.cid))
    }
}
