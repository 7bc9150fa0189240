/// An error from the marketplace's services. Each code maps to one HTTP status; `message` says what is wrong and
/// what to do.
public struct MarketplaceError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidRequest, unauthenticated, forbidden, notFound, conflict, tooLarge, unprocessable, rateLimited
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request is malformed (400).
        public static var invalidRequest: Self { .init(.invalidRequest) }
        /// No valid sign-in: a missing, expired or forged token, or a challenge that does not verify (401).
        public static var unauthenticated: Self { .init(.unauthenticated) }
        /// Signed in, but not allowed to do this (403).
        public static var forbidden: Self { .init(.forbidden) }
        /// No such upload, publication or listing (404).
        public static var notFound: Self { .init(.notFound) }
        /// The resource is not in a state that allows this (409).
        public static var conflict: Self { .init(.conflict) }
        /// A file, an upload or a body is over its limit (413).
        public static var tooLarge: Self { .init(.tooLarge) }
        /// Well-formed, but refused: a file that is not what its name says, an intent the ledger refuses (422).
        public static var unprocessable: Self { .init(.unprocessable) }
        /// Too many at once: more sign-in challenges than an address may have waiting (429).
        public static var rateLimited: Self { .init(.rateLimited) }

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
