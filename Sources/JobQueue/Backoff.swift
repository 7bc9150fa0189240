import Foundation

/// How long a failed job waits before its next attempt.
public struct Backoff: Sendable, Equatable {
    /// The first retry's delay.
    public var base: Duration
    /// Delays never exceed this.
    public var cap: Duration
    /// Each delay is spread by up to ± this fraction, so that jobs failing together do not retry together.
    public var jitter: Double

    /// `base · 2^(attempt−1)`, capped, with ±`jitter` spread: 1 s, 2 s, 4 s … up to an hour by default.
    public static func exponential(base: Duration = .seconds(1), cap: Duration = .seconds(3600), jitter: Double = 0.2)
        -> Backoff
    {
        Backoff(base: base, cap: cap, jitter: jitter)
    }

    /// The delay after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: -1...1)) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        let seconds = min(base.seconds * pow(2, exponent), cap.seconds)
        return .nanoseconds(Int64(max(0, seconds * (1 + jitter * random)) * 1e9))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
