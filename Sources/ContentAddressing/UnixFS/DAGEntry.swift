/// The result of importing one file, symlink or directory: what a parent directory links to.
public struct DAGEntry: Sendable, Equatable {
    /// The root of the entry's DAG.
    public let cid: CID
    /// The cumulative size of the DAG (the parent link's `Tsize`).
    public let totalSize: UInt64
    /// The number of file bytes under it (for file chunks: the parent's `blocksizes` value).
    public let fileSize: UInt64

    public init(cid: CID, totalSize: UInt64, fileSize: UInt64) {
        self.cid = cid
        self.totalSize = totalSize
        self.fileSize = fileSize
    }
}
