import LightboxCrypto

/// Checks a transparency log against the checkpoints anchored for it on a chain: for each, the log's first `size`
/// entries must hash to the anchored root. Entries removed, changed or reordered before an anchored size, or a log
/// started again under the same name, show as a mismatch however the node re-signed its checkpoints since.
public struct AnchoredLogCheck: Sendable {
    public let log: any LedgerLog
    public let anchoring: LogAnchoring

    public init(log: any LedgerLog, anchoring: LogAnchoring) {
        self.log = log
        self.anchoring = anchoring
    }

    /// The anchors the log agrees with, oldest first.
    /// - Throws: ``LedgerError`` `.tampered` naming the first anchored checkpoint the log disagrees with, or
    ///   `.invalidCheckpoint` when the contract anchors another log; ``EVMError`` when the chain cannot be read.
    public func verify() async throws -> [LogAnchoring.Anchor] {
        let checkpoint = try await log.signedCheckpoint().checkpoint
        let anchored = try await anchoring.origin()
        guard anchored == checkpoint.origin else {
            throw LedgerError(.invalidCheckpoint, "the anchor contract \(anchoring.contract) anchors the log \"\(anchored)\", not this one (\"\(checkpoint.origin)\")")
        }
        let size = try await log.size()
        let anchors = try await anchoring.anchors()
        for anchor in anchors {
            guard anchor.size <= size else {
                throw LedgerError(
                    .tampered,
                    "the log holds \(size) entries, but it was anchored at \(anchor.size) on \(LedgerTime.text(anchor.time)): entries were removed since")
            }
            let root = try await log.rootHash(treeSize: anchor.size)
            guard root == anchor.root else {
                throw LedgerError(
                    .tampered,
                    "the log's first \(anchor.size) entries hash to \(root.hexString), but \(anchor.root.hexString) was anchored for them on "
                        + "\(LedgerTime.text(anchor.time)): the log's history was rewritten")
            }
        }
        return anchors
    }
}
