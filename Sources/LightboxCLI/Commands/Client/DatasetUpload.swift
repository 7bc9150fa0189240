import Foundation
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

/// Sends a dataset's files to an upload, skipping the ones the server already holds whole (same size and SHA-256),
/// with a progress bar on standard error when it is a terminal. Small files travel packed in tar archives of up to
/// 16 MiB or 256 files per request (each archive is kept all or nothing, so a resumed upload sends again only the
/// archives that did not arrive); a file over half that size goes in a request of its own.
struct DatasetUpload {
    let market: MarketClient
    let root: String
    let quiet: Bool

    /// The most bytes and files one archive carries. The first archives are smaller (1 MiB, doubling), so that
    /// the server has the first images to analyse while the rest are still being packed and sent.
    static let archiveBytes = 16 << 20
    static let archiveFiles = 256
    static let firstArchiveBytes = 1 << 20
    /// Requests in flight at once: the server stores one while the next is on the wire.
    static let inFlight = 2

    /// What one request carries: an archive of small files, or one large file.
    enum Parcel {
        case archive([UInt8], files: Int)
        case file(path: String, bytes: [UInt8])

        var count: Int {
            switch self {
            case .archive(_, let files): files
            case .file: 1
            }
        }
    }

    /// Sends every file; returns the upload's id.
    func send(resuming id: String?) async throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(root) is not a directory; give the dataset's directory")
        }
        let uploadID: String
        if let id {
            uploadID = id
        } else {
            uploadID = try await market.send(.POST, "/v1/uploads", bytes: nil, as: UploadResponse.self).upload.id
        }
        let existing = try await market.get("/v1/uploads/\(uploadID)", as: UploadResponse.self)
        var held: [String: (Int, String)] = [:]
        for file in existing.files ?? [] { held[file.path] = (Int(file.size), file.sha256) }
        let files = try Self.files(under: root)
        var sent = 0
        var skipped = 0
        func progress() {
            if !quiet { ClientOutput.progress("uploading \(ClientOutput.bar(sent + skipped, of: files.count)) \(sent + skipped)/\(files.count) files") }
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            var running = 0
            func dispatch(_ parcel: Parcel) async throws {
                if running == Self.inFlight, let done = try await group.next() {
                    sent += done
                    running -= 1
                    progress()
                }
                running += 1
                group.addTask { [market, uploadID] in
                    try await Self.send(parcel, to: uploadID, market: market)
                    return parcel.count
                }
            }
            var batch = TarWriter(reservingCapacity: Self.archiveBytes + (Self.archiveFiles + 1) * 1536)
            var batchFiles = 0
            var batchLimit = Self.firstArchiveBytes
            for path in files {
                let file = root + "/" + path
                let size = try Self.size(of: file)
                if let (heldSize, hash) = held[path], heldSize == size, hash == SHA256.hash(try Self.read(file)).hexString {
                    skipped += 1
                    continue
                }
                if size > Self.archiveBytes / 2 {
                    try await dispatch(.file(path: path, bytes: try Self.read(file)))
                    continue
                }
                if batchFiles > 0 && (batch.bytes.count + size > batchLimit || batchFiles == Self.archiveFiles) {
                    try await dispatch(.archive(batch.finish(), files: batchFiles))
                    batch = TarWriter(reservingCapacity: Self.archiveBytes + (Self.archiveFiles + 1) * 1536)
                    batchFiles = 0
                    batchLimit = min(Self.archiveBytes, batchLimit * 2)
                }
                try batch.add(path: path, size: size) { try Self.read(file, into: $0) }
                batchFiles += 1
            }
            if batchFiles > 0 { try await dispatch(.archive(batch.finish(), files: batchFiles)) }
            for try await done in group {
                sent += done
                progress()
            }
        }
        if !quiet {
            ClientOutput.endProgress()
            ClientOutput.note("upload \(uploadID): \(sent) files sent, \(skipped) already there")
        }
        return uploadID
    }

    /// Sends one parcel: an archive to `POST /v1/uploads/{id}/archive`, a large file to its own `PUT`.
    static func send(_ parcel: Parcel, to upload: String, market: MarketClient) async throws {
        switch parcel {
        case .archive(let archive, _):
            _ = try await market.raw(.POST, "/v1/uploads/\(upload)/archive", body: archive, contentType: "application/x-tar")
        case .file(let path, let bytes):
            let encoded = path.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String($0) }
            _ = try await market.raw(.PUT, "/v1/uploads/\(upload)/files/" + encoded.joined(separator: "/"), body: bytes)
        }
    }

    static func size(of path: String) throws -> Int {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw CommandError("cannot read \(path): it is gone or not readable")
        }
        return size
    }

    static func read(_ path: String) throws -> [UInt8] {
        let size = try size(of: path)
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialised in
            try read(path, into: UnsafeMutableRawBufferPointer(buffer))
            initialised = size
        }
    }

    /// Reads the file at `path` into `buffer`, which it must fill exactly.
    static func read(_ path: String, into buffer: UnsafeMutableRawBufferPointer) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CommandError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var offset = 0
        while offset < buffer.count {
            let count = Foundation.read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            guard count > 0 else {
                throw CommandError(count < 0 ? "cannot read \(path): \(String(cString: strerror(errno)))" : "\(path) shrank while it was being sent; send it again")
            }
            offset += count
        }
        var probe: UInt8 = 0
        guard Foundation.read(descriptor, &probe, 1) == 0 else { throw CommandError("\(path) grew while it was being sent; send it again") }
    }

    /// The regular files under `root`, relative, sorted; hidden files are left out.
    static func files(under root: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { throw CommandError("cannot read \(root)") }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        guard !files.isEmpty else { throw CommandError("\(root) holds no files to publish") }
        return files.sorted()
    }
}
