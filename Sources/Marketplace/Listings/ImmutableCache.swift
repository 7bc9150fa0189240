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

    /// The values for `keys`: those kept, and the rest made together by `make` (which answers the keys it was
    /// given) and kept.
    public func values(_ keys: some Collection<Key>, make: ([Key]) async throws -> [Key: Value]) async throws -> [Key: Value] {
        var found: [Key: Value] = [:]
        let missing: [Key] = entries.withLock { entries in
            keys.filter { key in
                guard let known = entries[key] else { return true }
                found[key] = known
                return false
            }
        }
        guard !missing.isEmpty else { return found }
        let made = try await make(Array(Set(missing)))
        entries.withLock { entries in
            if entries.count + made.count > capacity { entries.removeAll(keepingCapacity: true) }
            entries.merge(made) { _, new in new }
        }
        return found.merging(made) { _, new in new }
    }
}
