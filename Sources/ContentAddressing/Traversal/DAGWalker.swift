/// Walks a DAG from a root in depth-first pre-order, each block once, for a path, scope and byte range:
/// the order and selection the trustless gateway specification asks of a CAR response.
public struct DAGWalker {
    /// Looks up a block; returns `nil` when it is not available.
    public typealias BlockSource = (CID) throws -> Block?

    let source: BlockSource

    public init(source: @escaping BlockSource) {
        self.source = source
    }

    /// Visits the blocks that resolve `path` from `root`, then those of the entity there within `scope`.
    /// - Throws: `.invalidNode` for malformed blocks, ``DAGWalker/Missing`` when a needed block is unavailable,
    ///   ``DAGWalker/PathNotFound`` when a path segment does not exist; and whatever `visit` throws.
    public func walk(
        root: CID, path: [String] = [], scope: DAGScope = .all, range: EntityByteRange? = nil,
        visit: (Block) async throws -> Void
    ) async throws {
        var seen = Set<[UInt8]>()
        var current = root
        for segment in path {
            let block = try require(current)
            if seen.insert(block.cid.multihash.digest).inserted { try await visit(block) }
            current = try await resolve(segment, in: block, seen: &seen, visit: visit)
        }
        try await visitEntity(current, scope: scope, range: range, seen: &seen, visit: visit)
    }

    /// A block the walk needs is not available.
    public struct Missing: Error, CustomStringConvertible {
        public let cid: CID
        public var description: String { "block \(cid) is not available" }
    }

    /// A path segment names nothing in its directory.
    public struct PathNotFound: Error, CustomStringConvertible {
        public let segment: String
        public var description: String { "no entry named '\(segment)'" }
    }

    /// The block for `cid`, or ``Missing``.
    public func require(_ cid: CID) throws -> Block {
        guard let block = try source(cid) else { throw Missing(cid: cid) }
        return block
    }

    private func visitEntity(
        _ cid: CID, scope: DAGScope, range: EntityByteRange?, seen: inout Set<[UInt8]>,
        visit: (Block) async throws -> Void
    ) async throws {
        let block = try require(cid)
        let first = seen.insert(block.cid.multihash.digest).inserted
        if first { try await visit(block) }
        guard scope != .block else { return }
        let node = try UnixFSNode(block)
        switch (scope, node.kind) {
        case (.all, _):
            guard first else { return }
            for link in node.links {
                try await visitEntity(link.cid, scope: .all, range: nil, seen: &seen, visit: visit)
            }
        case (.entity, .file), (.entity, .rawLeaf):
            var wanted: ClosedRange<UInt64>?
            if let range {
                guard let resolved = range.resolved(size: node.fileSize) else { return }
                wanted = resolved
            }
            var complete = Set<[UInt8]>()
            try await visitFileRange(node, offset: 0, bytes: wanted, seen: &seen, complete: &complete, depth: 0, visit: visit)
        case (.entity, .hamtShard):
            for link in node.links where UnixFSNode.isShardLink(link) {
                try await visitEntity(link.cid, scope: .entity, range: nil, seen: &seen, visit: visit)
            }
        default:
            return
        }
    }

    /// Visits the children of a file node whose bytes overlap `bytes` (all of them when `bytes` is nil).
    ///
    /// A subtree that appears more than once (repeated content) is walked once wherever it lies wholly inside the
    /// range: `complete` remembers subtrees already emitted in full, so a small DAG describing a huge repetitive
    /// file cannot make a request cost more than its distinct blocks.
    private func visitFileRange(
        _ node: UnixFSNode, offset: UInt64, bytes: ClosedRange<UInt64>?, seen: inout Set<[UInt8]>,
        complete: inout Set<[UInt8]>, depth: Int, visit: (Block) async throws -> Void
    ) async throws {
        guard let sizes = node.unixfs?.blockSizes else { return }
        guard depth < Self.maxFileDepth else {
            throw ContentAddressingError(.invalidNode, "a file DAG is deeper than \(Self.maxFileDepth) levels")
        }
        var start = offset + UInt64(node.inlineBytes.count)
        for (link, size) in zip(node.links, sizes) {
            let (next, overflow) = start.addingReportingOverflow(size)
            guard !overflow else { throw ContentAddressingError(.invalidNode, "a file DAG's sizes overflow") }
            defer { start = next }
            var whollyInside = true
            if let bytes {
                guard size > 0, start <= bytes.upperBound, next - 1 >= bytes.lowerBound else { continue }
                whollyInside = start >= bytes.lowerBound && next - 1 <= bytes.upperBound
            }
            let digest = link.cid.multihash.digest
            if whollyInside && complete.contains(digest) { continue }
            let child = try require(link.cid)
            if seen.insert(digest).inserted { try await visit(child) }
            let childNode = try UnixFSNode(child)
            guard childNode.fileSize == size else {
                throw ContentAddressingError(.invalidNode, "a chunk of the file does not match its recorded size")
            }
            try await visitFileRange(
                childNode, offset: start, bytes: bytes, seen: &seen, complete: &complete, depth: depth + 1, visit: visit)
            if whollyInside { complete.insert(digest) }
        }
    }

    /// Deeper than any balanced DAG (174 links per level reach exabytes in 9 levels): a bound on malicious DAGs.
    static let maxFileDepth = 32

    /// Finds `segment` in a directory or HAMT block, visiting the shard blocks passed on the way.
    private func resolve(
        _ segment: String, in block: Block, seen: inout Set<[UInt8]>, visit: (Block) async throws -> Void
    ) async throws -> CID {
        let node = try UnixFSNode(block)
        switch node.kind {
        case .directory:
            let wanted = Array(segment.utf8)
            guard let link = node.links.first(where: { Array($0.name.utf8) == wanted }) else {
                throw PathNotFound(segment: segment)
            }
            return link.cid
        case .hamtShard:
            let digest = Murmur3.digest64(Array(segment.utf8))
            var shard = node
            for depth in 0..<HAMTShardBuilder.maxDepth {
                let label = HAMTShardBuilder.label(Int(digest[depth]))
                guard let link = shard.links.first(where: { $0.name.hasPrefix(label) }) else { break }
                if Array(link.name.utf8) == Array((label + segment).utf8) { return link.cid }
                guard UnixFSNode.isShardLink(link) else { break }
                let child = try require(link.cid)
                if seen.insert(child.cid.multihash.digest).inserted { try await visit(child) }
                shard = try UnixFSNode(child)
            }
            throw PathNotFound(segment: segment)
        default:
            throw PathNotFound(segment: segment)
        }
    }
}
