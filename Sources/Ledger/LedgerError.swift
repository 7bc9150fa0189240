/// An error from the ledger: its log, proofs and checkpoints.
///
/// The code is stable and safe as a metric label; `message` says what happened and what to do.
public struct LedgerError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidProofRequest, invalidCheckpoint, invalidSignature
            case invalidIntent, expired, replayed, nonceGap, wrongDomain, badSignature
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A proof was asked for entries or sizes the log does not have.
        public static var invalidProofRequest: Self { .init(.invalidProofRequest) }
        /// A checkpoint or signed note is malformed.
        public static var invalidCheckpoint: Self { .init(.invalidCheckpoint) }
        /// A signature did not verify.
        public static var invalidSignature: Self { .init(.invalidSignature) }
        /// An intent is malformed: its type, fields or key do not fit.
        public static var invalidIntent: Self { .init(.invalidIntent) }
        /// An intent's deadline has passed.
        public static var expired: Self { .init(.expired) }
        /// An intent reuses a nonce its account already used.
        public static var replayed: Self { .init(.replayed) }
        /// An intent's nonce is ahead of its account's next one.
        public static var nonceGap: Self { .init(.nonceGap) }
        /// An intent was signed for another chain or ledger.
        public static var wrongDomain: Self { .init(.wrongDomain) }
        /// An intent's signature is malformed or not by its account.
        public static var badSignature: Self { .init(.badSignature) }

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
