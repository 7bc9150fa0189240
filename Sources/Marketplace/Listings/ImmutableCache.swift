import Synchronization

/// Values that never change once made (a report's summary under its CID, a log entry, an inclusion proof in a
/// tree of a given size), kept once computed: up to `capacity` of them, after which the cache starts again.
public final class ImmutableCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// The value for `key`, made by `make` the first time.
    public func value(_ key: Key, make: () async throws -> Value) async throws -> Value {
        if let known = entries.withLock({ $0[key] }) { return known }
        let value = try await make()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }
}
