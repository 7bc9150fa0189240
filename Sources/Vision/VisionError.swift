/// An error from the vision module: a dataset that cannot be checked at all, a bad policy, an image that cannot be
/// written.
///
/// Problems *in* a dataset are not errors but ``Finding``s; this is for the cases where no report can be made.
public struct VisionError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case notADataset, unknownFormat, invalidPolicy, invalidArgument, decodeFailed, encodeFailed, io
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The path is not a directory, or holds no images.
        public static var notADataset: Self { .init(.notADataset) }
        /// No annotation format could be recognised, or the one named does not fit.
        public static var unknownFormat: Self { .init(.unknownFormat) }
        /// A policy file is malformed.
        public static var invalidPolicy: Self { .init(.invalidPolicy) }
        /// An option or value is out of range.
        public static var invalidArgument: Self { .init(.invalidArgument) }
        /// An image could not be decoded.
        public static var decodeFailed: Self { .init(.decodeFailed) }
        /// An image could not be encoded.
        public static var encodeFailed: Self { .init(.encodeFailed) }
        /// A file could not be read or written.
        public static var io: Self { .init(.io) }

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
