#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Imports files and directory trees from disk as UnixFS, giving the root CID `ipfs add -r` gives with the same
/// options. Files are read in chunks and directories one at a time, so memory is bounded by one chunk, one
/// partial node per tree level, and the entries of the directories on the current path.
///
/// Like `ipfs add`: names starting with "." are left out unless `includeHidden`, symlinks are stored as symlinks
/// (not followed), empty files and directories are kept. Sockets, FIFOs and devices are refused.
public struct UnixFSImporter {
    public let options: ImportOptions

    public init(options: ImportOptions) {
        self.options = options
    }

    /// Imports a file, directory or symlink.
    /// - Throws: ``ContentAddressingError`` (`.io` for unreadable paths), or whatever `sink` throws.
    public func importPath(_ path: String, into sink: any BlockSink) throws -> DAGEntry {
        switch try FileKind(path: path) {
        case .regular: return try importFile(at: path, into: sink)
        case .directory: return try importDirectory(at: path, into: sink)
        case .symlink: return try importSymlink(at: path, into: sink)
        case .other:
            throw ContentAddressingError(.io, "\(path) is not a regular file, directory or symlink; it cannot be added")
        }
    }

    /// Imports one file's bytes, hashing its leaves on every core.
    public func importFile(at path: String, into sink: any BlockSink) throws -> DAGEntry {
        let leaves = try ParallelLeafBuilder(path: path, options: options, keepingBytes: sink.keepsBlocks)
        var builder = FileImporter(options: options)
        while true {
            let batch = try leaves.nextLeaves()
            if batch.isEmpty { break }
            for leaf in batch { try builder.add(leaf, to: sink) }
        }
        return try builder.finish(to: sink)
    }

    /// Imports bytes held in memory as a file.
    public func importBytes(_ bytes: [UInt8], into sink: any BlockSink) throws -> DAGEntry {
        var builder = FileImporter(options: options)
        var start = 0
        while start < bytes.count {
            let end = min(start + options.chunkSize, bytes.count)
            try bytes[start..<end].withUnsafeBytes { try builder.add(chunk: $0, to: sink) }
            start = end
        }
        return try builder.finish(to: sink)
    }

    /// The length in bytes of the root CID `importPath` will return, known before importing (a CAR header
    /// names the root, so a CAR written while importing reserves its space first).
    public func rootCIDLength(forPath path: String) throws -> Int {
        let nodeLength = options.cidVersion == 0 ? 34 : 36
        guard case .regular = try FileKind(path: path) else { return nodeLength }
        var info = stat()
        guard stat(path, &info) == 0 else { throw ContentAddressingError(.io, "cannot read \(path)") }
        return options.rawLeaves && Int(info.st_size) <= options.chunkSize ? 36 : nodeLength
    }

    private func importDirectory(at path: String, into sink: any BlockSink) throws -> DAGEntry {
        var builder = DirectoryBuilder()
        for name in try Self.entryNames(path) where options.includeHidden || !name.hasPrefix(".") {
            try builder.add(name: name, entry: try importPath(path + "/" + name, into: sink))
        }
        return try builder.finish(options: options, to: sink)
    }

    private func importSymlink(at path: String, into sink: any BlockSink) throws -> DAGEntry {
        var target = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &target, target.count)
        guard length >= 0 else {
            throw ContentAddressingError(.io, "cannot read the link \(path): \(String(cString: strerror(errno)))")
        }
        let data = UnixFSData(kind: .symlink, data: Array(target[0..<length]))
        return try DirectoryBuilder.store(PBNode(data: data.encoded()), options: options, sink: sink)
    }

    private static func entryNames(_ path: String) throws(ContentAddressingError) -> [String] {
        guard let directory = opendir(path) else {
            throw ContentAddressingError(.io, "cannot list \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names = [String]()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// What a path is, without following a final symlink.
public enum FileKind {
    case regular, directory, symlink, other

    public init(path: String) throws(ContentAddressingError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw ContentAddressingError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        default: self = .other
        }
    }
}
