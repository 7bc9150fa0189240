public import LightboxCrypto

/// Where the relaying account's transaction nonces are handed out, so that processes sending from the same account
/// never send two transactions with one nonce and never leave a gap.
///
/// A nonce is reserved before its transaction is signed; when the node refuses the transaction outright (so it never
/// entered the pool) the nonce is released and the next reservation takes it again.
public protocol NonceReservations: Sendable {
    /// The nonce for `account`'s next transaction on `chainID`: the lowest released one that the chain has not yet
    /// used, else the next after every reservation, and never below `chainNonce` (the account's pending transaction
    /// count, which covers transactions sent by anyone else).
    func reserve(account: EthereumAddress, chainID: UInt64, atLeast chainNonce: UInt64) async throws -> UInt64

    /// Gives back a nonce whose transaction the node refused, so that no gap is left.
    func release(account: EthereumAddress, chainID: UInt64, nonce: UInt64) async throws
}

/// Nonce reservations in one process's memory: enough for one process relaying (tests, the demo, a deploy).
public actor InMemoryNonceReservations: NonceReservations {
    private var next: [Key: UInt64] = [:]
    private var released: [Key: Set<UInt64>] = [:]

    private struct Key: Hashable {
        let account: EthereumAddress
        let chainID: UInt64
    }

    public init() {}

    public func reserve(account: EthereumAddress, chainID: UInt64, atLeast chainNonce: UInt64) -> UInt64 {
        let key = Key(account: account, chainID: chainID)
        var free = released[key, default: []].filter { $0 >= chainNonce }
        if let lowest = free.min() {
            free.remove(lowest)
            released[key] = free
            return lowest
        }
        released[key] = free
        let nonce = max(next[key] ?? 0, chainNonce)
        next[key] = nonce + 1
        return nonce
    }

    public func release(account: EthereumAddress, chainID: UInt64, nonce: UInt64) {
        released[Key(account: account, chainID: chainID), default: []].insert(nonce)
    }
}
