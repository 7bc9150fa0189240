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

extension Marketplace {
    /// The QA report of a listing in short, read from the node's storage once.
    /// - Throws: ``StorageError`` when no process of the node has the report; ``MarketplaceError`` `.unprocessable`
    ///   when it is not a vision report.
    public func quality(ofReport cid: String) async throws -> QualitySummary {
        try await qualitySummaries.value(cid) { try QualitySummary(reportJSON: try await storedFile(try CID(cid))) }
    }
}

extension Marketplace {
    /// A listing's provenance with each event's log entry, the entries and proofs read once and kept.
    public func provenance(ofListing id: UInt64) async throws -> ListingProvenance? {
        try await ListingProvenance.load(id, ledger: ledger, parts: provenanceParts)
    }
}
