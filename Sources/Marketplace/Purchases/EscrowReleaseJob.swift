public import JobQueue
import Ledger

/// `escrow.release`: scheduled for the moment a delivered purchase's acceptance deadline passes; pays the seller
/// when the buyer neither accepted nor disputed by then. Anyone may release an escrow after its deadline; the node
/// signs the Release with its own account. A purchase accepted or disputed in the meantime is left alone.
public struct EscrowReleaseJob: JobKind {
    public struct Payload: Codable, Sendable {
        public let purchase: UInt64
    }

    public static let name = "escrow.release"
    public static var maxAttempts: Int { 10 }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        guard let purchase = try await market.ledger.purchase(payload.purchase), purchase.escrow == .delivered else { return }
        // A deadline not passed yet by the ledger's clock is refused as too early; the queue retries it later.
        try await market.node.submit(.release(purchase: purchase.id))
        await market.reactions.requestCatchUp()
    }
}
