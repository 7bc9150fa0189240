/// An error from the ledger: its log, proofs and checkpoints.
///
/// The code is stable and safe as a metric label; `message` says what happened and what to do.
public struct LedgerError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidProofRequest, invalidCheckpoint, invalidSignature
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A proof was asked for entries or sizes the log does not have.
        public static var invalidProofRequest: Self { .init(.invalidProofRequest) }
        /// A checkpoint or signed note is malformed.
        public static var invalidCheckpoint: Self { .init(.invalidCheckpoint) }
        /// A signature did not verify.
        public static var invalidSignature: Self { .init(.invalidSignature) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
