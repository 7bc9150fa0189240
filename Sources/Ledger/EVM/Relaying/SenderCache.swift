import LightboxCrypto

/// What a sender may reuse between transactions instead of asking the node each time: the fees of the last few
/// seconds, and a floor for the account's nonce (the reservations above it are the book's; the floor is read again
/// whenever the node says a nonce was too low, as when something else sent from the account).
actor SenderCache {
    private var fees: (value: (maxFee: UInt128, tip: UInt128), at: ContinuousClock.Instant)?
    private var nonceFloor: UInt64?

    /// The cached fees if younger than `maximumAge`, else those `fetch` returns (then cached).
    func fees(maximumAge: Duration, _ fetch: @Sendable () async throws(EVMError) -> (maxFee: UInt128, tip: UInt128)) async throws(EVMError)
        -> (maxFee: UInt128, tip: UInt128)
    {
        if let fees, ContinuousClock.now - fees.at < maximumAge { return fees.value }
        let fresh = try await fetch()
        fees = (fresh, ContinuousClock.now)
        return fresh
    }

    /// The known floor of the account's next nonce, or the node's pending count when none is known (or `refresh`).
    func nonceFloor(refresh: Bool, _ fetch: @Sendable () async throws(EVMError) -> UInt64) async throws(EVMError) -> UInt64 {
        if !refresh, let nonceFloor { return nonceFloor }
        let fresh = try await fetch()
        nonceFloor = fresh
        return fresh
    }
}
