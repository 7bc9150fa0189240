import Foundation

/// One key on disk: a small JSON document, mode 0600, created atomically and never overwritten.
///
/// `{"format":"lightbox-key","version":1,"type":"ed25519-seed","created":"2026-11-21T01:00:00Z","key":"<base64>"}`
struct KeyFile: Codable {
    var format = "lightbox-key"
    var version = 1
    var type: String
    var created: Date
    var key: String

    /// Reads and checks a key file.
    /// - Returns: `nil` when the file does not exist.
    static func read(_ path: String, type: String, byteCount: Int) throws(NodeError) -> (bytes: [UInt8], created: Date)? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw NodeError(.keyFile, "cannot read key file \(path): \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw NodeError(
                .keyFile,
                "key file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(path)"
            )
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? decoder.decode(KeyFile.self, from: data),
            file.format == "lightbox-key", file.version == 1, file.type == type,
            let bytes = Data(base64Encoded: file.key), bytes.count == byteCount
        else {
            throw NodeError(
                .keyFile,
                "key file \(path) is not a valid \(type) key; restore it from a backup (a new key would change the node's identity)"
            )
        }
        return ([UInt8](bytes), file.created)
    }

    /// Writes a new key file with mode 0600 unless one already exists.
    /// - Returns: `false` when another process created the file first (its key wins; read it back).
    static func create(_ path: String, type: String, bytes: [UInt8], created: Date) throws(NodeError) -> Bool {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let file = KeyFile(type: type, created: created, key: Data(bytes).base64EncodedString())
        guard var data = try? encoder.encode(file) else {
            throw NodeError(.keyFile, "cannot encode key file \(path)")
        }
        data.append(0x0a)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw NodeError(.keyFile, "cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else {
            throw NodeError(.keyFile, "cannot write key file \(path): \(String(cString: strerror(errno)))")
        }
        // link() fails if the name exists, so two processes starting together never overwrite each other's key.
        if link(temporary, path) != 0 {
            if errno == EEXIST { return false }
            throw NodeError(.keyFile, "cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        return true
    }
}
