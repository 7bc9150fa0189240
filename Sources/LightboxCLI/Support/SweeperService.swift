import Logging
import Marketplace
import ServiceLifecycle

/// Runs the marketplace's sweeper (expired uploads, staging files, published plaintext, expired sign-in rows)
/// beside the server, until the process shuts down.
struct SweeperService: Service {
    let sweeper: MarketplaceSweeper
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await sweeper.run(every: interval, logger: logger)
        }
    }
}
