import Foundation

/// Reads UnixFS files and directory trees back out of blocks, checking every name on the way.
///
/// Names come from directory nodes someone else wrote, so each must be a single safe path component (no "/",
/// "..", "." or empty name) and symlinks are refused: nothing can be written outside the target directory.
/// A failure removes whatever was written.
public struct UnixFSExtractor {
    let walker: DAGWalker

    /// The node at `cid`.
    public func node(_ cid: CID) throws -> UnixFSNode { try UnixFSNode(try walker.require(cid)) }

    public init(source: @escaping DAGWalker.BlockSource) {
        self.walker = DAGWalker(source: source)
    }

    /// Calls `write` with a file's bytes in order.
    /// - Throws: `.invalidNode` if `root` is not a file or a size does not add up; ``DAGWalker/Missing``.
    public func readFile(_ root: CID, write: (ArraySlice<UInt8>) throws -> Void) throws {
        let node = try UnixFSNode(try walker.require(root))
        guard node.kind == .file || node.kind == .rawLeaf else {
            throw ContentAddressingError(.invalidNode, "\(root) is not a file")
        }
        try readFileNode(node, depth: 0, write: write)
    }

    private func readFileNode(_ node: UnixFSNode, depth: Int, write: (ArraySlice<UInt8>) throws -> Void) throws {
        guard depth < DAGWalker.maxFileDepth else {
            throw ContentAddressingError(.invalidNode, "a file DAG is deeper than \(DAGWalker.maxFileDepth) levels")
        }
        if !node.inlineBytes.isEmpty { try write(node.inlineBytes) }
        for (index, link) in node.links.enumerated() {
            let child = try UnixFSNode(try walker.require(link.cid))
            guard child.kind == .file || child.kind == .rawLeaf, child.fileSize == node.unixfs?.blockSizes[index] else {
                throw ContentAddressingError(.invalidNode, "a chunk of the file does not match its recorded size")
            }
            try readFileNode(child, depth: depth + 1, write: write)
        }
    }

    /// Directory levels extracted at most: deeper trees are refused rather than risking the stack.
    public static let maxDirectoryDepth = 256

    /// Writes the file or directory tree at `root` to `destination` (which must not exist yet).
    public func extract(_ root: CID, to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw ContentAddressingError(.io, "\(destination) already exists; choose a new directory")
        }
        do {
            try extractEntry(root, to: destination, depth: 0)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        }
    }

    /// The entries of a directory (basic or HAMT): names and CIDs, names checked.
    public func directoryEntries(_ root: CID) throws -> [(name: String, cid: CID)] {
        let node = try UnixFSNode(try walker.require(root))
        switch node.kind {
        case .directory:
            return try node.links.map { link throws(ContentAddressingError) in
                try DirectoryBuilder.checkName(link.name)
                return (link.name, link.cid)
            }
        case .hamtShard:
            var entries = [(name: String, cid: CID)]()
            try collectShard(node, into: &entries)
            return entries
        default:
            throw ContentAddressingError(.invalidNode, "\(root) is not a directory")
        }
    }

    private func collectShard(_ shard: UnixFSNode, into entries: inout [(name: String, cid: CID)]) throws {
        for link in shard.links {
            if UnixFSNode.isShardLink(link) {
                let child = try UnixFSNode(try walker.require(link.cid))
                guard child.kind == .hamtShard else {
                    throw ContentAddressingError(.invalidNode, "a HAMT bucket link does not lead to a shard")
                }
                try collectShard(child, into: &entries)
            } else {
                let name = String(link.name.dropFirst(2))
                try DirectoryBuilder.checkName(name)
                entries.append((name, link.cid))
            }
        }
    }

    private func extractEntry(_ cid: CID, to path: String, depth: Int) throws {
        guard depth < Self.maxDirectoryDepth else {
            throw ContentAddressingError(.invalidNode, "the tree is deeper than \(Self.maxDirectoryDepth) directories")
        }
        let node = try UnixFSNode(try walker.require(cid))
        switch node.kind {
        case .file, .rawLeaf:
            let writer = try AtomicFileWriter(path: path)
            do {
                try readFileNode(node, depth: 0) { bytes throws(ContentAddressingError) in try writer.write(bytes) }
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        case .directory, .hamtShard:
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            } catch {
                throw ContentAddressingError(.io, "cannot create \(path): \(error.localizedDescription)")
            }
            for entry in try directoryEntries(cid) {
                try extractEntry(entry.cid, to: path + "/" + entry.name, depth: depth + 1)
            }
        case .symlink:
            throw ContentAddressingError(.unsafePath, "\(path) is a symlink; symlinks are not extracted, as they could point outside")
        case .other:
            throw ContentAddressingError(.invalidNode, "\(cid) is not a file or directory")
        }
    }
}
