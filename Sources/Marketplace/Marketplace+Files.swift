public import ContentAddressing
import Storage

extension Marketplace {
    /// The bytes of a small UnixFS file the node stored (a report, a preview), from this disk or, when another
    /// process of the node wrote it to its own disk, fetched from that process's gateway and verified.
    /// - Throws: ``StorageError`` `.notFound` when no process has it; the DAG's errors when it is not a file.
    public func storedFile(_ cid: CID) async throws -> [UInt8] {
        try await fill?.dag(cid)
        var bytes: [UInt8] = []
        try UnixFSExtractor(source: blocks.get).readFile(cid) { bytes += $0 }
        return bytes
    }
}
