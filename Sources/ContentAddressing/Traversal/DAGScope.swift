/// Which blocks of a DAG a request wants, as the trustless gateway's `dag-scope` names them.
public enum DAGScope: String, Sendable, CaseIterable {
    /// Only the block the path ends at.
    case block
    /// The UnixFS entity there: a whole file (or the bytes asked for), a directory node, every shard of a HAMT
    /// directory; not the directory's children.
    case entity
    /// Everything reachable from there.
    case all
}

/// A `entity-bytes=from:to` range: inclusive, `to` may be `*` (the end), either may count back from the end.
public struct EntityByteRange: Sendable, Equatable {
    public let from: Int64
    /// `nil` means to the end of the file.
    public let to: Int64?

    /// Parses `from:to`.
    /// - Throws: `.invalidOption` when it is not two integers (or `*` for `to`), or `to` is before `from`.
    public init(parsing text: String) throws(ContentAddressingError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = Int64(parts[0]) else {
            throw ContentAddressingError(.invalidOption, "entity-bytes '\(text)' is not from:to (for example 0:1023 or 0:*)")
        }
        let to: Int64?
        if parts[1] == "*" {
            to = nil
        } else if let value = Int64(parts[1]) {
            to = value
        } else {
            throw ContentAddressingError(.invalidOption, "entity-bytes '\(text)' has an end that is neither a number nor *")
        }
        if let to, from >= 0, to >= 0, to < from {
            throw ContentAddressingError(.invalidOption, "entity-bytes '\(text)' ends before it starts")
        }
        self.from = from
        self.to = to
    }

    /// The inclusive byte interval within a file of `size` bytes, or `nil` when it selects no bytes.
    func resolved(size: UInt64) -> ClosedRange<UInt64>? {
        guard size > 0 else { return nil }
        let last = Int64(size) - 1
        let start = from < 0 ? max(0, Int64(size) + from) : from
        var end = to.map { $0 < 0 ? Int64(size) + $0 : $0 } ?? last
        end = min(end, last)
        guard start <= end, start <= last else { return nil }
        return UInt64(start)...UInt64(end)
    }
}
