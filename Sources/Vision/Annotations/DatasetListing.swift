import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The regular files under a dataset root, relative and "/"-separated, sorted by their UTF-8 bytes; hidden files
/// and directories (names starting with ".") and symbolic links are left out.
struct DatasetListing {
    /// The root as given, without a trailing "/".
    let root: String
    let files: [String]
    let fileSet: Set<String>
    /// The image files: extensions .png, .jpg and .jpeg in any case.
    let images: [String]

    init(root: String) throws(VisionError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VisionError(.notADataset, "\(root) is not a directory; give the dataset's root directory")
        }
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        var files = Self.walk(trimmed)
        files.sort(by: DatasetPaths.utf8Order)
        self.files = files
        fileSet = Set(files)
        images = files.filter(DatasetPaths.isImage)
    }

    /// Every regular file below `root`, directory by directory without recursion, not following links.
    private static func walk(_ root: String) -> [String] {
        var files: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            guard let directory = opendir(absolute) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }  // also "." and ".."
                let path = relative.isEmpty ? name : relative + "/" + name
                switch kind(of: entry.pointee.d_type, path: root + "/" + path) {
                case .directory: pending.append(path)
                case .regular: files.append(path)
                case .other: break
                }
            }
        }
        return files
    }

    private enum Kind { case directory, regular, other }

    /// From the directory entry's type, or `lstat` when the file system does not give it.
    private static func kind(of type: UInt8, path: String) -> Kind {
        switch type {
        case 4: return .directory  // DT_DIR
        case 8: return .regular  // DT_REG
        case 0:  // DT_UNKNOWN
            var info = stat()
            guard lstat(path, &info) == 0 else { return .other }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return .directory
            case S_IFREG: return .regular
            default: return .other
            }
        default: return .other
        }
    }

    func files(withExtensions extensions: Set<String>) -> [String] {
        files.filter { extensions.contains(DatasetPaths.fileExtension($0)) }
    }

    func contains(_ relative: String) -> Bool { fileSet.contains(relative) }

    func absolute(_ relative: String) -> String { relative.isEmpty ? root : root + "/" + relative }

    /// The file's bytes, or nil when it cannot be read.
    func read(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: absolute(relative)).map { [UInt8]($0) }
    }
}

/// "/"-separated relative paths: joining, names, extensions, splits.
enum DatasetPaths {
    static func utf8Order(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { a in b.withUTF8 { b in a.lexicographicallyPrecedes(b) } }
    }

    /// The last component.
    static func name(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Everything before the last "/", or "" for a top-level name.
    static func directory(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// The lowercased extension without its dot ("" when there is none).
    static func fileExtension(_ path: String) -> String {
        let name = name(path)
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return name[name.utf8.index(after: dot)...].lowercased()
    }

    /// The name without its extension.
    static func stem(_ path: String) -> String {
        let name = name(path)
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The path without its extension.
    static func removingExtension(_ path: String) -> String {
        let directory = directory(path)
        return directory.isEmpty ? stem(path) : directory + "/" + stem(path)
    }

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    static func isImage(_ path: String) -> Bool { imageExtensions.contains(fileExtension(path)) }

    /// `relative` resolved against `base`, "." and ".." resolved and "./" dropped; a ".." that would leave the root
    /// is kept, so the path names no file in the dataset.
    static func join(_ base: String, _ relative: String) -> String {
        if isPlain(relative) && isPlain(base) { return base.isEmpty ? relative : base + "/" + relative }
        var parts: [Substring] = []
        let combined = base.isEmpty || relative.hasPrefix("/") ? relative : base + "/" + relative
        for part in combined.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Whether the path is "" or has no empty, "." or ".." component (so no leading or trailing "/" either).
    private static func isPlain(_ path: String) -> Bool {
        if path.isEmpty { return true }
        var length = 0
        var onlyDots = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if length == 0 || (onlyDots && length <= 2) { return false }
                length = 0
                onlyDots = true
            } else {
                length += 1
                if byte != UInt8(ascii: ".") { onlyDots = false }
            }
        }
        return !(length == 0 || (onlyDots && length <= 2))
    }

    /// `train`, `val` or `test` when the name has exactly one of these words (also `training`, `valid`,
    /// `validation`, `testing`) among its letter runs: `instances_val2017.json` is val, `trainval.txt` none.
    static func split(ofName name: String) -> String? {
        var found: Set<String> = []
        for word in name.lowercased().split(whereSeparator: { !$0.isLetter }) {
            switch word {
            case "train", "training": found.insert("train")
            case "val", "valid", "validation": found.insert("val")
            case "test", "testing": found.insert("test")
            default: break
            }
        }
        return found.count == 1 ? found.first : nil
    }

    /// The split a path's directories name, innermost first; nil when none does.
    static func split(ofDirectoriesIn path: String) -> String? {
        let components = path.split(separator: "/").dropLast()
        for component in components.reversed() {
            if let split = split(ofName: String(component)) { return split }
        }
        return nil
    }
}
