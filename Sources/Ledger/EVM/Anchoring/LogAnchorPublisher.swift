/// Publishes an embedded ledger's latest checkpoint to its `LogAnchor` when it is due: once the log has grown by
/// `everyEntries` entries since the last anchor, or has grown at all and `everySeconds` have passed.
///
/// Several processes of a node may run it: the contract refuses a size that is not beyond the last, and the
/// sender's pre-flight catches that before a nonce or any gas is spent.
public struct LogAnchorPublisher: Sendable {
    public let log: any LedgerLog
    public let anchoring: LogAnchoring
    public let sender: TransactionSender
    public let everyEntries: UInt64
    public let everySeconds: UInt64

    public init(log: any LedgerLog, anchoring: LogAnchoring, sender: TransactionSender, everyEntries: UInt64, everySeconds: UInt64) {
        self.log = log
        self.anchoring = anchoring
        self.sender = sender
        self.everyEntries = everyEntries
        self.everySeconds = everySeconds
    }

    /// The checkpoint anchored now, or nil when none was due.
    public func publishIfDue(now: UInt64) async throws -> LogAnchoring.Anchor? {
        let checkpoint = try await log.signedCheckpoint().checkpoint
        let last = try await anchoring.latest()
        let grown = checkpoint.size - min(checkpoint.size, last?.size ?? 0)
        guard grown > 0 else { return nil }
        guard last == nil || grown >= everyEntries || now >= (last?.time ?? 0) + everySeconds else { return nil }
        return try await publish(checkpoint)
    }

    /// Anchors the latest checkpoint now, due or not; nil when the chain already holds it (or a later one).
    public func publishNow() async throws -> LogAnchoring.Anchor? {
        let checkpoint = try await log.signedCheckpoint().checkpoint
        if let last = try await anchoring.latest(), last.size >= checkpoint.size { return nil }
        return try await publish(checkpoint)
    }

    private func publish(_ checkpoint: Checkpoint) async throws -> LogAnchoring.Anchor {
        let receipt = try await anchoring.publish(size: checkpoint.size, root: checkpoint.rootHash, sender: sender)
        let block = try await anchoring.rpc.block(.number(receipt.blockNumber))
        return LogAnchoring.Anchor(size: checkpoint.size, root: checkpoint.rootHash, time: block?.timestamp ?? 0)
    }
}
