import Logging
import PostgresNIO
import Synchronization

/// A small pool of PostgreSQL connections that reconnects on demand.
///
/// A lease takes an idle connection (dropping any the server closed, say on a restart), or opens a new one while
/// under the limit, or waits for one to come back. A failed connect fails that lease at once, with the reason; the
/// next lease simply tries again. There is no back-off state to get stuck in: the callers (the job workers, the HTTP
/// handlers) already retry at their own pace.
final class PostgresConnectionPool: Sendable {
    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<PostgresConnection?, Never>] = []
        var closed = false
        var nextID = 1
    }

    private let state = Mutex(State())
    private let configuration: PostgresConnection.Configuration
    private let maximum: Int
    private let logger: Logger

    init(configuration: PostgresConnection.Configuration, maximum: Int, logger: Logger) {
        self.configuration = configuration
        self.maximum = max(1, maximum)
        self.logger = logger
    }

    /// Lends a connection to `body` and takes it back afterwards.
    func withConnection<Result>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Closes idle connections and refuses new leases; leased connections close when they come back.
    func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        for connection in idle { try? await connection.close() }
    }

    private enum Step {
        case use(PostgresConnection)
        case create(id: Int)
        case wait
        case closed
    }

    private func acquire() async throws -> PostgresConnection {
        while true {
            let step = state.withLock { state -> Step in
                if state.closed { return .closed }
                while let connection = state.idle.popLast() {
                    if !connection.isClosed { return .use(connection) }
                    state.open -= 1
                }
                if state.open < maximum {
                    state.open += 1
                    state.nextID += 1
                    return .create(id: state.nextID)
                }
                return .wait
            }
            switch step {
            case .use(let connection):
                return connection
            case .closed:
                throw DatabaseError(.closed, "the PostgreSQL connection pool is closed")
            case .create(let id):
                do {
                    return try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
                } catch {
                    slotFreed()
                    throw error
                }
            case .wait:
                let handedOver = await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        // Something may have changed between the two locks; then look again at once.
                        if state.closed || !state.idle.isEmpty || state.open < maximum { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume(returning: nil) }
                }
                if let connection = handedOver, !connection.isClosed { return connection }
                if let connection = handedOver { discard(connection) }
            }
        }
    }

    private func release(_ connection: PostgresConnection) {
        if connection.isClosed { return discard(connection) }
        let waiter = state.withLock { state -> CheckedContinuation<PostgresConnection?, Never>? in
            if state.closed { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        if let waiter {
            waiter.resume(returning: connection)
        } else if state.withLock({ $0.closed }) {
            discard(connection)
        }
    }

    /// Forgets a connection (closing it if it is still open) and lets a waiter open a new one.
    private func discard(_ connection: PostgresConnection) {
        if !connection.isClosed {
            // The task holds the connection until its channel has closed: dropped while still closing, it would
            // be deinitialised open (which PostgresNIO asserts against) — the case of a lease returned to a pool
            // closed meanwhile, say by a background catch-up outliving its database.
            Task { try? await connection.close() }
        }
        slotFreed()
    }

    private func slotFreed() {
        let waiter = state.withLock { state -> CheckedContinuation<PostgresConnection?, Never>? in
            state.open -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.resume(returning: nil)
    }
}
