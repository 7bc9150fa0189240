public import Foundation
public import Logging

/// Removes on a timer what the node no longer needs to keep: open uploads that received nothing for the expiry
/// time (with their files), staging files that interrupted transfers left, the plaintext of published uploads once
/// their encrypted copy is stored (unless configured to keep it), and expired sign-in challenges and tokens. Each
/// sweep also catches up with the ledger's events, so a reaction whose run failed is made within one interval.
public struct MarketplaceSweeper: Sendable {
    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    /// What one sweep removed.
    public struct Sweep: Sendable, Equatable {
        public var expiredUploads: [String] = []
        public var clearedUploads: [String] = []
        public var stagingFiles = 0
        public var sessionRows = 0
    }

    /// Sweeps once.
    public func sweep(now: Date = Date(), logger: Logger) async throws -> Sweep {
        var sweep = Sweep()
        sweep.expiredUploads = try await market.uploads.expireIdle(now: now, logger: logger)
        sweep.clearedUploads = try await market.uploads.clearPublished(logger: logger)
        sweep.stagingFiles = market.uploads.removeStaleStaging(now: now)
        sweep.sessionRows = try await market.sessions.purgeExpired(now: now, logger: logger)
        try await market.reactions.catchUp()
        return sweep
    }

    /// Sweeps every `interval` until cancelled; a failed sweep is logged and tried again next time.
    public func run(every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            do {
                let sweep = try await sweep(logger: logger)
                if sweep != Sweep() {
                    logger.info("swept", metadata: [
                        "uploads.expired": "\(sweep.expiredUploads.count)", "uploads.cleared": "\(sweep.clearedUploads.count)",
                        "staging.files": "\(sweep.stagingFiles)", "session.rows": "\(sweep.sessionRows)",
                    ])
                }
            } catch {
                logger.warning("sweep failed; trying again next time", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
