/// Where in an annotation file something is: the file, the line (and column) when the file has lines, and for
/// JSON the value's place in the document (`annotations[17] (id 18)`), which names it even in a file written on
/// one line.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The value's place in a JSON document, e.g. `annotations[17].bbox (id 18)`.
    public var position: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, position: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.position = position
    }

    /// `file:line[:column]`, or the file alone, then `: position` when there is one: the form a finding's `item`
    /// takes.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let position { text += ": " + position }
        return text
    }
}
