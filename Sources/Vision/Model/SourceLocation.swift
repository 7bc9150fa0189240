/// A place in an annotation file: the file's path relative to the dataset root and, where known, a 1-based line.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    /// `file:line`, or the file alone: the form a finding's `item` takes.
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}
