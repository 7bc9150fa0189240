public import Foundation

/// Files and folders only the node's own user may read: everything under the data directory is made this way,
/// whatever the process's umask, since it holds keys, uploaded datasets before they are encrypted, and the database.
public enum PrivateFiles {
    /// The mode of a private folder.
    public static let folderMode: mode_t = 0o700
    /// The mode of a private file.
    public static let fileMode: mode_t = 0o600

    /// Makes `path` a folder (mode 0700) with any missing parents; a folder already there is left as it is.
    /// Safe when other requests make the same folder at the same moment.
    /// - Throws: ``NodeError`` when something that is not a folder is in the way or the folder cannot be made.
    public static func makeFolder(_ path: String) throws(NodeError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw NodeError(.dataDirectory, "\(path) is a file where a folder belongs") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        guard mkdir(path, folderMode) == 0 || errno == EEXIST else {
            throw NodeError(.dataDirectory, "cannot make the folder \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Sets the process's umask so that every file and folder it creates from now on is private (0600 / 0700).
    /// Called once at start-up by the commands that write into a data directory.
    public static func restrictNewFiles() {
        umask(0o077)
    }
}
