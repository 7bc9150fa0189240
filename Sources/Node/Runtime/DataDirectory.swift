import Foundation
import LightboxCrypto

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

    /// The directory's own identifier, made on first use and kept in `disk-id`: processes sharing a database tell
    /// by it which of them hold a file on their disk (a copied directory should have the file removed).
    /// - Throws: ``NodeError`` when the file cannot be read or written.
    public func diskIdentifier() throws(NodeError) -> String {
        let path = file("disk-id")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let identifier = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard identifier.count == 16, identifier.allSatisfy(\.isHexDigit) else {
                throw NodeError(.dataDirectory, "\(path) does not hold a 16-digit hex identifier; remove it to make a new one")
            }
            return identifier
        }
        let identifier = SecureRandom.bytes(count: 8).hexString
        let temporary = path + ".\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((identifier + "\n").utf8), attributes: [.posixPermissions: 0o600]),
            rename(temporary, path) == 0
        else {
            throw NodeError(.dataDirectory, "cannot write \(path); fix the data directory's permissions")
        }
        // Two processes starting at once: the last rename wins, so read back what stands.
        return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? identifier
    }

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
