import Synchronization

/// Token buckets by key (a client address, an account): each key may make `burst` requests at once and then
/// `perSecond` a second. Kept in this process's memory, so with several processes each holds its own count.
/// The table is bounded: past `maximumKeys`, buckets that have filled up again (idle keys) are dropped first.
public final class RateLimiter: Sendable {
    /// How fast a key may go.
    public struct Rule: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Double

        public init(perSecond: Double, burst: Double) {
            self.perSecond = perSecond
            self.burst = max(1, burst)
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let rule: Rule
    private let maximumKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(_ rule: Rule, maximumKeys: Int = 100_000) {
        self.rule = rule
        self.maximumKeys = maximumKeys
    }

    /// Takes one request's token for `key`: nil when admitted, else how long until the next token is there.
    public func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let rule = self.rule
        let maximumKeys = self.maximumKeys
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: rule.burst, updated: now)
            let elapsed = Self.seconds(now - bucket.updated)
            bucket.tokens = min(rule.burst, bucket.tokens + max(0, elapsed) * rule.perSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return .milliseconds(Int64(((1 - bucket.tokens) / rule.perSecond * 1000).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[key] == nil && buckets.count >= maximumKeys { Self.dropIdle(&buckets, rule: rule, now: now) }
            buckets[key] = bucket
            return nil
        }
    }

    /// Drops the buckets that have refilled (their keys are as new); if none has, the oldest half.
    private static func dropIdle(_ buckets: inout [String: Bucket], rule: Rule, now: ContinuousClock.Instant) {
        let before = buckets.count
        buckets = buckets.filter { $0.value.tokens + seconds(now - $0.value.updated) * rule.perSecond < rule.burst }
        if buckets.count == before {
            let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(before / 2).map(\.key)
            for key in oldest { buckets[key] = nil }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
