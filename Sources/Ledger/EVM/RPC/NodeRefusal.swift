/// Why a node refused a raw transaction, read from the error texts geth uses (and Besu, Nethermind, reth and
/// Erigon mostly share).
public enum NodeRefusal: Sendable, Equatable {
    /// The node has this very transaction already: it was sent.
    case alreadyKnown
    /// The account already used this nonce.
    case nonceTooLow
    /// The nonce is ahead of the account's next one.
    case nonceTooHigh
    /// The account cannot pay gas × fee + value.
    case insufficientFunds
    /// A transaction with this nonce is pending and this one does not pay enough more to replace it.
    case replacementUnderpriced
    /// The fee is below what the node or block accepts.
    case underpriced

    /// The refusal an error's message names, if it is one of these.
    public init?(_ error: EVMError) {
        guard error.code == .rpc else { return nil }
        let text = error.message.lowercased()
        if text.contains("already known") || text.contains("known transaction") || text.contains("already imported") {
            self = .alreadyKnown
        } else if text.contains("nonce too low") || text.contains("nonce is too low") {
            self = .nonceTooLow
        } else if text.contains("nonce too high") || text.contains("nonce is too high") {
            self = .nonceTooHigh
        } else if text.contains("insufficient funds") {
            self = .insufficientFunds
        } else if text.contains("replacement transaction underpriced") || text.contains("replacement fee too low") {
            self = .replacementUnderpriced
        } else if text.contains("underpriced") || text.contains("less than block base fee") || text.contains("fee cap less than") {
            self = .underpriced
        } else {
            return nil
        }
    }
}
