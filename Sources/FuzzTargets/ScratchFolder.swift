import Foundation

/// A folder of the process's own under /dev/shm (or the temporary directory) that a target fills with the files
/// its parser reads from disk, emptied before every input.
struct ScratchFolder {
    let path: String

    private static let base: String = {
        let parent = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return parent + "/lightbox-fuzz-\(getpid())"
    }()

    /// The folder `name`, emptied.
    static func fresh(_ name: String) -> ScratchFolder {
        let path = base + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return ScratchFolder(path: path)
    }

    /// Writes `bytes` to `relative` under the folder, making its folders.
    func write(_ relative: String, _ bytes: [UInt8]) {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        require(FileManager.default.createFile(atPath: full, contents: Data(bytes)), "cannot write \(full)")
    }
}

extension [UInt8] {
    /// The bytes before the first `separator`, and those after it (nil when there is no separator).
    func split(at separator: UInt8) -> (head: [UInt8], tail: [UInt8]?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (Array(self[..<index]), Array(self[(index + 1)...]))
    }
}
