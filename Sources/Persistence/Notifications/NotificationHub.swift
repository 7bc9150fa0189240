import Foundation
import Synchronization

/// In-process publish/subscribe by channel name: SQLite's stand-in for PostgreSQL's LISTEN/NOTIFY.
final class NotificationHub: Sendable {
    private let subscribers = Mutex<[String: [UUID: AsyncStream<String>.Continuation]]>([:])

    /// Delivers `payload` to every current subscriber of `channel`.
    func post(_ channel: String, payload: String) {
        let targets = subscribers.withLock { Array(($0[channel] ?? [:]).values) }
        for continuation in targets { continuation.yield(payload) }
    }

    /// A stream of the payloads posted to `channel` from now on.
    func subscribe(_ channel: String) -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        subscribers.withLock { $0[channel, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0[channel]?.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every stream (on close).
    func finishAll() {
        let all = subscribers.withLock { state -> [AsyncStream<String>.Continuation] in
            defer { state.removeAll() }
            return state.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }
}
