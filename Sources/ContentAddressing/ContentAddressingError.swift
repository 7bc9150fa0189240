/// An error from parsing or building content-addressed data: CIDs, DAG-PB, UnixFS, CAR.
///
/// The code is stable and safe as a metric label; `message` says what is wrong and, where it helps, what to do.
public struct ContentAddressingError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Equatable, Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidCID, unsupportedCodec, unsupportedHash, invalidMultibase, invalidVarint
            case invalidNode, invalidCAR, truncated, hashMismatch, blockTooLarge, invalidOption, io
            case unsafePath
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A CID string or byte form could not be parsed.
        public static var invalidCID: Self { .init(.invalidCID) }
        /// A CID names a codec Lightbox does not handle (only raw and dag-pb are).
        public static var unsupportedCodec: Self { .init(.unsupportedCodec) }
        /// A multihash uses a hash function Lightbox cannot verify (only sha2-256 and identity are).
        public static var unsupportedHash: Self { .init(.unsupportedHash) }
        /// A multibase prefix or digit was not recognised.
        public static var invalidMultibase: Self { .init(.invalidMultibase) }
        /// A varint was malformed or longer than 9 bytes.
        public static var invalidVarint: Self { .init(.invalidVarint) }
        /// A DAG-PB or UnixFS node could not be decoded, or its structure is inconsistent.
        public static var invalidNode: Self { .init(.invalidNode) }
        /// A CAR stream is malformed.
        public static var invalidCAR: Self { .init(.invalidCAR) }
        /// Input ended in the middle of a structure.
        public static var truncated: Self { .init(.truncated) }
        /// A block's bytes do not hash to its CID.
        public static var hashMismatch: Self { .init(.hashMismatch) }
        /// A block is larger than the 2 MiB that IPFS nodes exchange.
        public static var blockTooLarge: Self { .init(.blockTooLarge) }
        /// An import option is out of range.
        public static var invalidOption: Self { .init(.invalidOption) }
        /// Reading or writing a file failed.
        public static var io: Self { .init(.io) }
        /// A name would escape the directory it belongs to.
        public static var unsafePath: Self { .init(.unsafePath) }

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

    public var description: String { message }

    /// Errors are equal when their codes are: the code is what callers branch on, the message is for people.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
