/// A problem starting or running the node, with one line that says what to fix.
public struct NodeError: Error, CustomStringConvertible, Equatable {
    /// The kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case dataDirectory, keyFile, portInUse, listen }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The data directory cannot be created or written.
        public static var dataDirectory: Self { .init(.dataDirectory) }
        /// A key file is unreadable, malformed or too widely readable.
        public static var keyFile: Self { .init(.keyFile) }
        /// The HTTP port is taken by another process.
        public static var portInUse: Self { .init(.portInUse) }
        /// The HTTP address cannot be listened on for another reason.
        public static var listen: Self { .init(.listen) }

        public var description: String { value.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong and what to do.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
