public import ContentAddressing

/// An error from Lightbox's storage: the blockstore, IPFS clients and dataset encryption.
///
/// The code is stable and safe as a metric label; `message` says what happened and what to do.
public struct StorageError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case notFound, corruptBlock, io, gatewayFailed, incompleteDAG, badResponse, kuboFailed
            case pinningFailed, pinningTimedOut, decryptionFailed, invalidDataset, invalidRequest, notAcceptable, configuration
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A block or file is not stored.
        public static var notFound: Self { .init(.notFound) }
        /// A stored block no longer hashes to its CID (it has been removed).
        public static var corruptBlock: Self { .init(.corruptBlock) }
        /// Reading or writing local files failed.
        public static var io: Self { .init(.io) }
        /// No configured gateway delivered verified data.
        public static var gatewayFailed: Self { .init(.gatewayFailed) }
        /// A CAR did not contain every block the requested DAG needs.
        public static var incompleteDAG: Self { .init(.incompleteDAG) }
        /// A remote service answered with something that does not follow its protocol.
        public static var badResponse: Self { .init(.badResponse) }
        /// The Kubo RPC API refused or failed a command.
        public static var kuboFailed: Self { .init(.kuboFailed) }
        /// A pinning service refused or failed a pin.
        public static var pinningFailed: Self { .init(.pinningFailed) }
        /// A pin did not reach "pinned" in time.
        public static var pinningTimedOut: Self { .init(.pinningTimedOut) }
        /// Encrypted data failed authentication: wrong key, altered or truncated.
        public static var decryptionFailed: Self { .init(.decryptionFailed) }
        /// A dataset directory cannot be encrypted or extracted as it is.
        public static var invalidDataset: Self { .init(.invalidDataset) }
        /// A gateway request is malformed (bad CID, parameters or path).
        public static var invalidRequest: Self { .init(.invalidRequest) }
        /// A gateway request asked for a response format that is not served (406).
        public static var notAcceptable: Self { .init(.notAcceptable) }
        /// The storage settings are inconsistent.
        public static var configuration: Self { .init(.configuration) }

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, for people.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Wraps a content-addressing error (a bad CID or block) with the storage code that fits it.
    public init(_ error: ContentAddressingError, as code: Code) {
        self.init(code, error.message)
    }

    public var description: String { message }

    /// Errors are equal when their codes are: the code is what callers branch on, the message is for people.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
