import Synchronization

/// A first-come, first-served async lock: one holder at a time, waiters resume in order.
///
/// Re-entering from the task that holds it would wait forever, so it fails fast instead.
final class AsyncLease: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    @TaskLocal private static var held: Set<ObjectIdentifier> = []

    /// Runs `body` while holding the lease.
    func withLease<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        let key = ObjectIdentifier(self)
        if Self.held.contains(key) {
            throw DatabaseError(
                .queryFailed,
                "a database connection was requested while this task already holds the only SQLite connection; pass the connection down instead"
            )
        }
        await acquire()
        defer { release() }
        var held = Self.held
        held.insert(key)
        return try await Self.$held.withValue(held) { try await body() }
    }

    private func acquire() async {
        let acquired = state.withLock { state -> Bool in
            if state.held { return false }
            state.held = true
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredNow = state.withLock { state -> Bool in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if acquiredNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
