/// An error from Lightbox's cryptographic primitives.
///
/// The code is stable and safe to use as a metric label; `message` says what happened and what to do.
public struct CryptoError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Equatable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidKeyLength, invalidSignature, decryptionFailed, truncatedStream, streamFinished
            case invalidHeader, invalidInput
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A key, seed or nonce had the wrong number of bytes.
        public static var invalidKeyLength: Self { .init(.invalidKeyLength) }
        /// A signature did not verify.
        public static var invalidSignature: Self { .init(.invalidSignature) }
        /// Authenticated decryption failed: wrong key, or the ciphertext was altered.
        public static var decryptionFailed: Self { .init(.decryptionFailed) }
        /// An encrypted stream ended before its final chunk.
        public static var truncatedStream: Self { .init(.truncatedStream) }
        /// Data was pushed into or pulled from a stream after its final chunk.
        public static var streamFinished: Self { .init(.streamFinished) }
        /// A stream header had the wrong size.
        public static var invalidHeader: Self { .init(.invalidHeader) }
        /// An argument was out of range.
        public static var invalidInput: Self { .init(.invalidInput) }

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, for people.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    static func keyLength(_ what: String, expected: Int, got: Int) -> Self {
        .init(.invalidKeyLength, "\(what) must be \(expected) bytes, got \(got)")
    }
}
