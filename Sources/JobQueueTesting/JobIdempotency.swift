public import JobQueue

/// Checks a handler's idempotency, the contract every job kind must keep because delivery is at-least-once.
public enum JobIdempotency {
    /// The effects of the first and the second run differed.
    public struct Violation<Effect: Equatable & Sendable>: Error, CustomStringConvertible {
        public let afterFirstRun: Effect
        public let afterSecondRun: Effect
        public var description: String {
            "running the job twice changed its effect:\n  after one run:  \(afterFirstRun)\n  after two runs: \(afterSecondRun)"
        }
    }

    /// Runs `kind` with `payload` twice under the same context (as a redelivery would) and compares the effect.
    /// - Parameters:
    ///   - effect: Reads the state the handler changes (rows, files, balances), after each run.
    /// - Returns: The effect after one run, for further checks.
    /// - Throws: ``Violation`` when the second run changed the effect, or whatever the handler throws.
    @discardableResult
    public static func check<Kind: JobKind, Effect: Equatable & Sendable>(
        _ kind: Kind, payload: Kind.Payload, context: JobContext, effect: () async throws -> Effect
    ) async throws -> Effect {
        try await kind.run(payload, context: context)
        let first = try await effect()
        try await kind.run(payload, context: context)
        let second = try await effect()
        guard first == second else { throw Violation(afterFirstRun: first, afterSecondRun: second) }
        return first
    }
}
