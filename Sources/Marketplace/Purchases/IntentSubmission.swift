import Foundation
import JobQueue
public import Ledger
public import LightboxCrypto
public import Logging

/// Submits an account's own signed intents to the ledger — purchases, acceptances, disputes, evidence, rulings,
/// price changes, transfers, operator approvals, and the faucet on a development ledger — then lets the
/// marketplace react to what they did (a purchase starts its delivery, a delivery schedules its release).
///
/// Mint is not taken here: a listing is minted only through its publication, whose checks made the attestation.
public struct IntentSubmission: Sendable {
    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    /// The intent types an account may submit here.
    public static let allowedTypes: Set<String> = Set(LedgerAction.ownFields.keys).subtracting(["Mint"])

    /// The intents on an escrow, whose reactions the submitter does not wait for.
    static let escrowTypes: Set<String> = ["Purchase", "Deliver", "Accept", "Release", "Reclaim", "OpenDispute", "SubmitEvidence", "Rule"]

    /// What became of a submitted intent.
    public enum Outcome: Sendable {
        /// Applied: its place in the ledger and its events.
        case applied(LedgerReceipt)
        /// Kept to be relayed when the node's account can pay for gas again (a ledger on a chain): the reason.
        case queued(String)
    }

    /// Submits `wireJSON` (``SignedIntent/wireJSON``) for `account`. On a chain, an intent the node's account cannot
    /// pay the gas for is kept (`ledger.relay`) and relayed once the account is funded, rather than lost.
    /// - Throws: ``MarketplaceError`` `.forbidden` when the intent acts for another account, `.unprocessable` for a
    ///   Mint; ``LedgerError`` when the ledger refuses it.
    public func submit(_ wireJSON: [UInt8], by account: EthereumAddress, logger: Logger) async throws -> Outcome {
        do {
            return .applied(try await apply(wireJSON, by: account, logger: logger))
        } catch let error as EVMError where error.code == .unfunded {
            let signed = try market.ledger.signedIntent(wireJSON: wireJSON)
            let queue = JobQueue(database: market.database, logger: logger)
            try await queue.enqueue(LedgerRelayJob.self, .init(intent: String(decoding: signed.wireJSON, as: UTF8.self)),
                                    options: .init(uniqueKey: "relay:\(Keccak256.hash(signed.wireJSON).hexString)"))
            logger.warning("the node's account cannot pay for gas; an intent is kept to be relayed", metadata: ["error": "\(error.message)"])
            return .queued("this node's account has no ether left for gas; the intent is kept and will be relayed once the operator funds the account (until its deadline)")
        }
    }

    private func apply(_ wireJSON: [UInt8], by account: EthereumAddress, logger: Logger) async throws -> LedgerReceipt {
        let signed = try market.ledger.signedIntent(wireJSON: wireJSON)
        guard signed.intent.account == account else {
            throw MarketplaceError(.forbidden, "the intent acts for \(signed.intent.account), but this token is \(account)'s")
        }
        guard Self.allowedTypes.contains(signed.intent.type) else {
            throw MarketplaceError(
                .unprocessable, "a \(signed.intent.type) intent is not submitted here; a listing is minted through POST /v1/publications/{id}/mint")
        }
        let receipt = try await market.ledger.submit(signed)
        guard !Self.escrowTypes.contains(signed.intent.type) else {
            // An escrow's reactions (its row in the purchases projection, a delivery or release job) are started,
            // not waited for: the projection's readers catch up first, and the purchase itself is read from the ledger.
            await market.reactions.requestCatchUp()
            return receipt
        }
        do {
            // A listing's card (search, price, pause) changes in the reaction: seen as soon as this answers.
            try await market.reactions.catchUp()
        } catch {
            // The intent stands; the reaction waits for the next catch-up.
            logger.warning("reacting to ledger entry \(receipt.index) failed: \(error)")
        }
        return receipt
    }
}
