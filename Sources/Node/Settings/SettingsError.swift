/// A configuration problem, with one line that says what is wrong and how to fix it.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    /// What is wrong and what to do.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
