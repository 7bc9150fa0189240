public import JobQueue
import Ledger
import Logging

/// `ledger.relay`: an intent the node could not relay because its account had no ether for the gas, kept and
/// relayed again until the account is funded (or the intent's deadline passes, when it is dropped with a log line).
/// Relaying the same intent twice is harmless: the contract refuses the second as replayed.
public struct LedgerRelayJob: JobKind {
    public struct Payload: Codable, Sendable {
        /// The signed intent's wire form.
        public let intent: String
    }

    public static let name = "ledger.relay"
    /// Retries for about a day (the back-off is capped at ten minutes).
    public static var maxAttempts: Int { 160 }
    public static var backoff: Backoff { .exponential(base: .seconds(2), cap: .seconds(600)) }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let signed = try market.ledger.signedIntent(wireJSON: Array(payload.intent.utf8))
        do {
            _ = try await market.ledger.submit(signed)
            await market.reactions.requestCatchUp()
        } catch let error as LedgerError {
            // Refused now (expired, replayed, the state moved on): nothing more to do for it.
            context.logger.warning("a kept intent was refused when relayed again", metadata: [
                "type": "\(signed.intent.type)", "account": "\(signed.intent.account)", "error": "\(error.message)"])
        }
    }
}
