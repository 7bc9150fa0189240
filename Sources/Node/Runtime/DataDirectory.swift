import Foundation

/// The node's data directory: keys, the SQLite database, and later the blockstore.
public struct DataDirectory: Sendable {
    /// The directory's path as configured.
    public let path: String

    /// Makes sure the directory exists (creating it with mode 0700) and can be written.
    /// - Returns: Whether this call created it, so that a failed start can remove what it made.
    /// - Throws: ``NodeError`` naming the path and what to fix.
    @discardableResult
    public static func prepare(_ path: String) throws(NodeError) -> (directory: DataDirectory, created: Bool) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var created = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw NodeError(.dataDirectory, "data directory \(path) is a file, not a directory; choose another with --data-dir")
            }
        } else {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                created = true
            } catch {
                throw NodeError(
                    .dataDirectory,
                    "cannot create data directory \(path): \(Self.reason(error)); choose another with --data-dir or fix the permissions"
                )
            }
        }
        // Permissions alone do not tell (root ignores them, read-only mounts do not show): write a probe file.
        let probe = path + "/.write-probe-\(getpid())"
        guard manager.createFile(atPath: probe, contents: Data("ok".utf8)) else {
            if created { try? manager.removeItem(atPath: path) }
            throw NodeError(
                .dataDirectory, "data directory \(path) is not writable; fix its permissions or choose another with --data-dir"
            )
        }
        try? manager.removeItem(atPath: probe)
        return (DataDirectory(path: path), created)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedFailureReason ?? nsError.localizedDescription
    }
}
