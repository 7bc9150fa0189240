import Foundation
import Ledger
import Logging
import ServiceLifecycle

/// Anchors the embedded ledger's checkpoints on a chain beside the server (ledger.anchor.*), checking every
/// `interval` whether an anchor is due; a failure (the chain unreachable, the node's account out of ether) is logged
/// and tried again next time. The log itself never waits for the chain.
struct LogAnchorService: Service {
    let publisher: LogAnchorPublisher
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let anchor = try await publisher.publishIfDue(now: UInt64(Date().timeIntervalSince1970)) {
                        logger.info("anchored the log", metadata: ["size": "\(anchor.size)", "contract": "\(publisher.anchoring.contract)"])
                    }
                } catch {
                    logger.warning("anchoring the log failed; trying again later", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
