/// Wakes one waiting task; signals that arrive while nobody waits are coalesced into one.
final class WakeSignal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Wakes the waiter, now or at its next wait.
    func signal() { continuation.yield() }

    /// Ends every wait for good.
    func finish() { continuation.finish() }

    /// An iterator for the one task that waits.
    func makeIterator() -> AsyncStream<Void>.AsyncIterator { stream.makeAsyncIterator() }
}
