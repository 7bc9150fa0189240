/// An error from the job queue, with a stable code and a message that says what to do.
public struct JobQueueError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case notFound, invalidState, payloadUndecodable, unknownKind, invalidOptions }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No job has that id.
        public static var notFound: Self { .init(.notFound) }
        /// The job is in a state that does not allow the action (say, retrying a completed job).
        public static var invalidState: Self { .init(.invalidState) }
        /// The stored payload does not decode as the kind's payload type: the type changed. Never retried.
        public static var payloadUndecodable: Self { .init(.payloadUndecodable) }
        /// No handler for the job's kind is registered in this worker.
        public static var unknownKind: Self { .init(.unknownKind) }
        /// An enqueue option is out of range.
        public static var invalidOptions: Self { .init(.invalidOptions) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
