import Foundation
import Node
public import LightboxCrypto
public import Logging
public import Persistence

/// Uploads on disk and in the database. Each upload's files live under `<root>/<id>/`, which is the dataset's
/// folder when it is checked and encrypted; a file being received is written to `<root>/<id>.partial/` first
/// and moved into place only once it is whole, checked and within the limits, so a failed or interrupted request
/// leaves nothing behind.
public struct UploadStore: Sendable {
    let database: any Database
    /// The folder holding every upload.
    public let root: String
    public let limits: UploadLimits
    /// This data directory's identifier (``DataDirectory/diskIdentifier()``): processes on other machines share the
    /// database but not the disk, so an upload's files are sent to, checked and encrypted by the processes that
    /// share the directory they were written to; its jobs go to that directory's queue.
    public let disk: String

    public init(database: any Database, root: String, limits: UploadLimits, disk: String = "") {
        self.database = database
        self.root = root
        self.limits = limits
        self.disk = disk
    }

    /// The queue of jobs that read the files of uploads on `disk`; nil (the default queue) for the unnamed disk.
    public static func jobQueue(ofDisk disk: String) -> String? { disk.isEmpty ? nil : "disk:" + disk }

    /// The queue of jobs that read this disk's uploads.
    public var jobQueue: String? { Self.jobQueue(ofDisk: disk) }

    /// The condition on `market_uploads` rows whose files are on this disk.
    var onThisDisk: SQLQuery { "disk IN ('', \(disk))" }

    /// The dataset folder of an upload.
    public func directory(of id: String) -> String { root + "/" + id }

    /// Starts a new, empty upload owned by `owner`.
    public func create(owner: EthereumAddress, logger: Logger) async throws -> Upload {
        let id = "up_" + SecureRandom.bytes(count: 10).hexString
        let now = Int64(Date().timeIntervalSince1970)
        var upload = Upload(id: id, owner: owner, state: .open, fileCount: 0, byteCount: 0, createdAt: now)
        upload.disk = disk
        let limits = self.limits
        try await database.withTransaction(logger: logger) { connection in
            try await AccountQuota.lock(owner, on: connection)
            try await AccountQuota(limits: limits).checkOpenUploads(of: owner, on: connection)
            try await connection.execute(
                """
                INSERT INTO market_uploads (id, owner, state, file_count, byte_count, created_at, updated_at, disk)
                VALUES (\(id), \(owner.description), \(upload.state.rawValue), \(Int64(0)), \(Int64(0)), \(now), \(now), \(disk))
                """)
        }
        try PrivateFiles.makeFolder(directory(of: id))
        return upload
    }

    /// An upload, if it exists.
    public func upload(_ id: String, logger: Logger) async throws -> Upload? {
        let rows = try await database.query(
            "SELECT id, owner, state, file_count, byte_count, created_at, disk FROM market_uploads WHERE id = \(id)", logger: logger)
        return try rows.first.map { row in
            var upload = Upload(
                id: try row.decode("id"), owner: try EthereumAddress(try row.decode("owner", as: String.self)),
                state: Upload.State(rawValue: try row.decode("state")) ?? .sealed, fileCount: try row.decode("file_count"),
                byteCount: try row.decode("byte_count"), createdAt: try row.decode("created_at"))
            upload.disk = try row.decode("disk")
            return upload
        }
    }

    /// An upload that `account` owns and may still add to.
    /// - Throws: ``MarketplaceError`` `.notFound`, `.forbidden` or `.conflict`.
    public func openUpload(_ id: String, owner account: EthereumAddress, logger: Logger) async throws -> Upload {
        guard let upload = try await upload(id, logger: logger) else {
            throw MarketplaceError(.notFound, "there is no upload \(id.prefix(40)); start one with POST /v1/uploads")
        }
        guard upload.owner == account else { throw MarketplaceError(.forbidden, "upload \(id) belongs to another account") }
        switch upload.state {
        case .open: return upload
        case .sealed: throw MarketplaceError(.conflict, "upload \(id) is sealed: a publication has taken it; start a new upload to change files")
        case .removed: throw MarketplaceError(.conflict, "upload \(id) was removed (deleted, expired unused, or published and stored); start a new upload")
        }
    }

    /// An open upload of `account` whose files are on this disk, to add to or delete.
    /// - Throws: as ``openUpload(_:owner:logger:)``, and ``MarketplaceError`` `.conflict` when another data directory
    ///   holds its files.
    public func localUpload(_ id: String, owner account: EthereumAddress, logger: Logger) async throws -> Upload {
        let upload = try await openUpload(id, owner: account, logger: logger)
        guard upload.disk.isEmpty || upload.disk == disk else {
            throw MarketplaceError(
                .conflict,
                "upload \(id)'s files are kept by another process of this node (data directory \(upload.disk)), not this one "
                    + "(\(disk)): send every request for one upload to the same server, for example by routing "
                    + "/v1/uploads/{id} on the id, or start a new upload here")
        }
        return upload
    }

    /// The files received so far, in path order.
    public func files(of id: String, logger: Logger) async throws -> [Upload.File] {
        try await database.query(
            "SELECT path, size, sha256, cid FROM market_upload_files WHERE upload_id = \(id) ORDER BY path", logger: logger
        ).map { row in
            Upload.File(
                path: try row.decode("path"), size: try row.decode("size"), sha256: try row.decode("sha256"),
                cid: try row.decode("cid", as: String?.self))
        }
    }

    /// Receives one file. `body` is called with a writer to pass the file's bytes to, piece by piece; a file
    /// already at `path` is replaced. Nothing is kept unless every check passes, and the file joins the upload only
    /// if the upload is still open when it is whole (see ``commit(_:to:owner:logger:)``).
    /// - Throws: ``MarketplaceError`` `.tooLarge` past a limit, `.unprocessable` for an image that is not one,
    ///   `.conflict` when the upload was sealed meanwhile or the path collides with a folder or a file; whatever
    ///   `body` throws.
    @discardableResult
    public func receive(
        upload id: String, owner: EthereumAddress, path: UploadPath, logger: Logger,
        body: (FileWriter) async throws -> Void
    ) async throws -> Upload.File {
        let upload = try await localUpload(id, owner: owner, logger: logger)
        let existing = try await database.query(
            "SELECT size FROM market_upload_files WHERE upload_id = \(id) AND path = \(path.description)", logger: logger
        ).first.map { try $0.decode("size", as: Int64.self) }
        if existing == nil && upload.fileCount >= Int64(limits.files) {
            throw MarketplaceError(.tooLarge, "upload \(id) already holds \(limits.files) files, the most an upload may hold")
        }
        // The budget stops a stream early; the limits are checked again, exactly, when the file is committed.
        let budget = min(limits.fileBytes, limits.uploadBytes - upload.byteCount + (existing ?? 0))
        let temporary = try stagingFolder(of: id) + "/" + SecureRandom.bytes(count: 8).hexString
        let writer = try FileWriter(path: temporary, limit: budget, limits: limits, uploadBytes: upload.byteCount - (existing ?? 0))
        do {
            try await body(writer)
            let written = try writer.finish()
            if let mismatch = ImageSignature.mismatch(path: path, head: written.head) {
                throw MarketplaceError(.unprocessable, "\(mismatch); send the image itself")
            }
            let file = Upload.File(path: path.description, size: written.size, sha256: written.sha256.hexString, cid: written.cid)
            try await commit([StagedFile(path: path, temporary: temporary, file: file)], to: id, owner: owner, logger: logger)
            return file
        } catch {
            writer.abandon()
            unlink(temporary)
            throw error
        }
    }

    /// A received file waiting in the staging folder to join its upload.
    struct StagedFile {
        let path: UploadPath
        let temporary: String
        let file: Upload.File
    }

    /// The upload's staging folder (`<id>.partial`, private), made if missing.
    func stagingFolder(of id: String) throws -> String {
        let partial = root + "/" + id + ".partial"
        try PrivateFiles.makeFolder(partial)
        return partial
    }

    /// Makes staged files part of an upload, all or none, in one transaction that holds the upload's row (and, on
    /// PostgreSQL, the owner's lock): the upload must still be open — a publication seals it under the same row, so
    /// a file that finishes arriving after the seal is refused and the checked files never change — and the
    /// upload's and the account's limits must hold with the other requests' files counted. The files are moved
    /// into the dataset folder last, once every row is written.
    /// - Throws: ``MarketplaceError`` `.conflict` when the upload is no longer open, `.tooLarge` past a limit.
    func commit(_ staged: [StagedFile], to id: String, owner: EthereumAddress, logger: Logger) async throws {
        let limits = self.limits
        let directory = directory(of: id)
        try await database.withTransaction(logger: logger) { connection in
            try await AccountQuota.lock(owner, on: connection)
            guard let row = try await connection.query(
                "SELECT state FROM market_uploads WHERE id = \(id)\(unsafeRaw: connection.dialect.rowLock)").first
            else {
                throw MarketplaceError(.notFound, "there is no upload \(id.prefix(40)); start one with POST /v1/uploads")
            }
            let state = try row.decode("state", as: String.self)
            guard state == Upload.State.open.rawValue else {
                throw state == Upload.State.removed.rawValue
                    ? MarketplaceError(.conflict, "upload \(id) was removed (deleted, or expired unused) before this arrived, so nothing of it was kept; start a new upload")
                    : MarketplaceError(
                        .conflict, "upload \(id) was sealed by a publication before this arrived, so nothing of it was kept; the files being checked cannot change — start a new upload to change them")
            }
            for entry in staged {
                try await connection.execute("DELETE FROM market_upload_files WHERE upload_id = \(id) AND path = \(entry.file.path)")
                try await connection.execute(
                    """
                    INSERT INTO market_upload_files (upload_id, path, size, sha256, cid)
                    VALUES (\(id), \(entry.file.path), \(entry.file.size), \(entry.file.sha256), \(entry.file.cid))
                    """)
            }
            let now = Int64(Date().timeIntervalSince1970)
            let totals = try await connection.query(
                """
                UPDATE market_uploads SET
                    file_count = (SELECT COUNT(*) FROM market_upload_files WHERE upload_id = \(id)),
                    byte_count = (SELECT COALESCE(SUM(size), 0) FROM market_upload_files WHERE upload_id = \(id)),
                    updated_at = \(now)
                WHERE id = \(id)
                RETURNING file_count, byte_count
                """)
            let files = try totals.first?.decode("file_count", as: Int64.self) ?? 0
            let bytes = try totals.first?.decode("byte_count", as: Int64.self) ?? 0
            guard files <= Int64(limits.files) else {
                throw MarketplaceError(.tooLarge, "upload \(id) would hold \(files) files, more than \(limits.files), the most an upload may hold; nothing of this was kept")
            }
            guard bytes <= limits.uploadBytes else {
                throw MarketplaceError(.tooLarge, "upload \(id) would hold \(bytes) bytes, more than \(limits.uploadBytes), the most an upload may hold; nothing of this was kept")
            }
            try await AccountQuota(limits: limits).checkStorage(of: owner, on: connection)
            for entry in staged { try place(entry.temporary, at: entry.path, in: directory) }
        }
    }

    /// Moves a received file into the dataset folder, creating its folders.
    func place(_ temporary: String, at path: UploadPath, in directory: String) throws {
        var folder = directory
        for component in path.components.dropLast() {
            folder += "/" + component
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw MarketplaceError(.conflict, "\(path) needs a folder where the upload already has the file \(folder.dropFirst(directory.count + 1))")
                }
            } else if mkdir(folder, PrivateFiles.folderMode) != 0 {
                // Another request may have made it a moment ago: only a folder that still is not there is an error.
                let failure = errno
                guard failure == EEXIST, FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw MarketplaceError(.conflict, "cannot make the folder \(folder.dropFirst(directory.count + 1)): \(String(cString: strerror(failure)))")
                }
            }
        }
        let target = directory + "/" + path.description
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MarketplaceError(.conflict, "\(path) is already a folder of this upload")
        }
        guard rename(temporary, target) == 0 else {
            throw MarketplaceError(.conflict, "cannot store \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Marks an upload as taken by a publication: no file may change after the check.
    func seal(_ id: String, on connection: any DatabaseConnection) async throws -> Bool {
        try await connection.execute("UPDATE market_uploads SET state = 'sealed' WHERE id = \(id) AND state = 'open'") == 1
    }
}
