/// An error from the ledger: its intents, contracts, log, proofs and checkpoints.
///
/// The code is stable and safe as a metric label; `message` says what happened and what to do.
public struct LedgerError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidProofRequest, invalidCheckpoint, invalidSignature
            case invalidIntent, expired, replayed, nonceGap, wrongDomain, badSignature
            case unknown, insufficientFunds, unauthorised, invalidState, tooEarly, tooLate, invalidAttestation
            case invalidArgument, tampered, notInitialised
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

        /// A listing, purchase or entry the intent names does not exist.
        public static var unknown: Self { .init(.unknown) }
        /// An account has fewer tokens (or a smaller allowance) than the action needs.
        public static var insufficientFunds: Self { .init(.insufficientFunds) }
        /// The acting account may not do this: not the owner, the buyer, the assigned arbiter or governance.
        public static var unauthorised: Self { .init(.unauthorised) }
        /// The action does not fit the record's state: a paused listing, an escrow already paid out, a licence
        /// already held.
        public static var invalidState: Self { .init(.invalidState) }
        /// The action is allowed only after a deadline that has not come yet.
        public static var tooEarly: Self { .init(.tooEarly) }
        /// The action's deadline has passed.
        public static var tooLate: Self { .init(.tooLate) }
        /// A listing's quality attestation is missing, by an unauthorised key, not valid, or for a failing report.
        public static var invalidAttestation: Self { .init(.invalidAttestation) }
        /// An amount, share or field is out of range.
        public static var invalidArgument: Self { .init(.invalidArgument) }
        /// The stored log does not fit itself: a row was edited, removed or reordered.
        public static var tampered: Self { .init(.tampered) }
        /// The ledger in this database has no genesis entry, or one for other parameters.
        public static var notInitialised: Self { .init(.notInitialised) }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    /// Set only on the fault a working set of the state throws when an intent needs a record it has not loaded
    /// (see ``LedgerState``): the embedded ledger loads it and applies the intent again. Never shown to a client.
    public let missing: LedgerState.RecordKey?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        missing = nil
    }

    init(missing key: LedgerState.RecordKey) {
        code = .notInitialised
        message = "the ledger needs a record it has not loaded (\(key))"
        missing = key
    }

    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
