public import ContentAddressing
import Storage

extension Marketplace {
    /// The bytes of a small UnixFS file the node stored (a report, a preview), from this disk or, when another
    /// process of the node wrote it to its own disk, fetched from that process's gateway and verified.
    /// - Throws: ``StorageError`` `.notFound` when no process has it; the DAG's errors when it is not a file.
    public func storedFile(_ cid: CID) async throws -> [UInt8] {
        if let fill, !blocks.has(cid) {
            do {
                try await fill.dag(cid)
            } catch {
                guard error.code == .gatewayFailed else { throw error }
                throw StorageError(.notFound, "\(cid) is not on this node's disk, and its other processes did not send it: \(error.message)")
            }
        }
        var bytes: [UInt8] = []
        try UnixFSExtractor(source: blocks.get).readFile(cid) { bytes += $0 }
        return bytes
    }
}
