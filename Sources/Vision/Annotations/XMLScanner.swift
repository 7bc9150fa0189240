/// Reads one XML document from UTF-8 bytes into a tree, checking well-formedness as it goes (see ``XMLTree``).
/// Nesting is kept on an explicit stack, so a deep document costs heap, never the thread's stack.
struct XMLScanner {
    typealias ParseError = XMLTree.ParseError

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var scanner = XMLScanner(bytes)
        scanner.advance(to: offset)
        return (scanner.line, scanner.column)
    }

    mutating func document() throws(ParseError) -> ParsedXMLElement {
        if starts(with: [0xEF, 0xBB, 0xBF]) { advance(by: 3) }
        if let character = firstDisallowedCharacter() {
            advance(to: character)
            throw failure("a character XML does not allow (a control character)")
        }
        if starts(with: "<?xml"), index + 5 < bytes.count, Self.isSpace(bytes[index + 5]) {
            try skip(past: "?>", else: "an XML declaration (<?xml …) that is never closed")
        }
        try miscellany(allowingDoctype: true)
        guard index < bytes.count else { throw failure("the file is empty or is not XML") }
        guard bytes[index] == UInt8(ascii: "<") else { throw failure("text before the root element; the file is not XML") }
        let root = try element()
        try miscellany(allowingDoctype: false)
        guard index == bytes.count else {
            throw failure("content after the root element <\(root.name)>; a file holds one annotation")
        }
        return root
    }

    // MARK: Elements

    private struct OpenElement {
        var element: ParsedXMLElement
        var text: [UInt8] = []
    }

    /// The element whose start tag is at `index`, with everything inside it.
    private mutating func element() throws(ParseError) -> ParsedXMLElement {
        var open: [OpenElement] = []
        while true {
            let (started, isEmpty) = try startTag()
            if isEmpty {
                guard !open.isEmpty else { return started }
                open[open.count - 1].element.children.append(started)
            } else {
                guard open.count < XMLTree.maximumDepth else {
                    throw failure("elements nested more than \(XMLTree.maximumDepth) deep")
                }
                open.append(OpenElement(element: started))
            }
            // Content until the next start tag, or until the outermost element closes.
            while true {
                guard let current = open.last else { fatalError("unreachable: the loop returns when nothing is open") }
                guard index < bytes.count else {
                    throw failure("the document ends before <\(current.element.name)> is closed")
                }
                if bytes[index] == UInt8(ascii: "&") {
                    open[open.count - 1].text += try reference()
                } else if bytes[index] != UInt8(ascii: "<") {
                    open[open.count - 1].text += try characterData()
                } else if starts(with: "</") {
                    var closed = open.removeLast()
                    try endTag(of: closed.element.name)
                    closed.element.text = String(decoding: closed.text, as: UTF8.self)
                    guard !open.isEmpty else { return closed.element }
                    open[open.count - 1].element.children.append(closed.element)
                } else if starts(with: "<![CDATA[") {
                    open[open.count - 1].text += try cdata()
                } else if starts(with: "<!--") {
                    try comment()
                } else if starts(with: "<?") {
                    try processingInstruction()
                } else if starts(with: "<!") {
                    throw failure("a declaration (<!…) inside an element")
                } else {
                    break
                }
            }
        }
    }

    /// `<name attribute="value" …>` or `<name …/>`.
    private mutating func startTag() throws(ParseError) -> (ParsedXMLElement, isEmpty: Bool) {
        let tagLine = line
        advance(by: 1)
        let name = try self.name(else: "a tag without a valid name")
        var attributes: [String: String] = [:]
        while true {
            let spaced = skipSpaces()
            if starts(with: "/>") {
                advance(by: 2)
                return (ParsedXMLElement(name: name, line: tagLine, attributes: attributes), true)
            }
            if starts(with: ">") {
                advance(by: 1)
                return (ParsedXMLElement(name: name, line: tagLine, attributes: attributes), false)
            }
            guard index < bytes.count else { throw failure("the document ends inside the tag <\(name)>") }
            guard spaced else { throw failure("expected '>' to end the tag <\(name)>") }
            let attribute = try self.name(else: "an attribute without a valid name in <\(name)>")
            guard attributes[attribute] == nil else {
                throw failure("the attribute \(attribute) given twice in <\(name)>")
            }
            skipSpaces()
            guard starts(with: "=") else { throw failure("the attribute \(attribute) has no value (=\"…\")") }
            advance(by: 1)
            skipSpaces()
            attributes[attribute] = String(decoding: try attributeValue(attribute), as: UTF8.self)
        }
    }

    /// The value, references replaced and tabs and line breaks read as spaces (XML's attribute-value
    /// normalisation).
    private mutating func attributeValue(_ attribute: String) throws(ParseError) -> [UInt8] {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw failure("the value of \(attribute) is not in quotes")
        }
        let quote = bytes[index]
        advance(by: 1)
        var value: [UInt8] = []
        while index < bytes.count, bytes[index] != quote {
            switch bytes[index] {
            case UInt8(ascii: "<"): throw failure("a '<' inside the value of \(attribute); write &lt;")
            case UInt8(ascii: "&"): value += try reference()
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                value.append(UInt8(ascii: " "))
                advance(by: 1)
            default:
                value.append(bytes[index])
                advance(by: 1)
            }
        }
        guard index < bytes.count else { throw failure("the value of \(attribute) is never closed") }
        advance(by: 1)
        return value
    }

    private mutating func endTag(of open: String) throws(ParseError) {
        let tag = index
        advance(by: 2)
        let name = try self.name(else: "a closing tag without a valid name")
        skipSpaces()
        guard name == open else {
            advance(to: tag)
            throw failure("the closing tag </\(name)> does not match the open element <\(open)>")
        }
        guard starts(with: ">") else { throw failure("expected '>' to end the closing tag </\(name)>") }
        advance(by: 1)
    }

    /// An element or attribute name. Non-ASCII letters are taken as they come; XML's full name classes are not
    /// checked beyond ASCII.
    private mutating func name(else reason: String) throws(ParseError) -> String {
        let start = index
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { throw failure(reason) }
        while index < bytes.count, Self.isNameStart(bytes[index]) || Self.isNameContinuation(bytes[index]) {
            advance(by: 1)
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: Character data

    /// Text up to the next markup, with line ends normalised to LF as XML requires.
    private mutating func characterData() throws(ParseError) -> [UInt8] {
        var text: [UInt8] = []
        while index < bytes.count, bytes[index] != UInt8(ascii: "<"), bytes[index] != UInt8(ascii: "&") {
            if starts(with: "]]>") { throw failure("']]>' in text; write ]]&gt;") }
            if bytes[index] == 0x0D {
                text.append(0x0A)
                advance(by: starts(with: "\r\n") ? 2 : 1)
            } else {
                text.append(bytes[index])
                advance(by: 1)
            }
        }
        return text
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#decimal;` or `&#xhex;`, as UTF-8.
    private mutating func reference() throws(ParseError) -> [UInt8] {
        let start = index
        advance(by: 1)
        guard let end = bytes[index...].prefix(16).firstIndex(of: UInt8(ascii: ";")) else {
            advance(to: start)
            throw failure("an '&' that does not start a reference; write &amp; for a literal &")
        }
        let body = String(decoding: bytes[index..<end], as: UTF8.self)
        let scalar: Unicode.Scalar?
        switch body {
        case "amp": scalar = "&"
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
            if body.hasPrefix("#x") {
                scalar = UInt32(body.dropFirst(2), radix: 16).flatMap(Self.xmlCharacter)
            } else if body.hasPrefix("#") {
                scalar = UInt32(body.dropFirst(), radix: 10).flatMap(Self.xmlCharacter)
            } else {
                advance(to: start)
                throw failure("an undeclared entity (&\(body);); write &amp; for a literal &")
            }
        }
        guard let scalar else {
            advance(to: start)
            throw failure("an invalid character reference (&\(body);)")
        }
        advance(to: end + 1)
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func cdata() throws(ParseError) -> [UInt8] {
        advance(by: 9)
        let start = index
        guard let end = find("]]>") else { throw failure("a CDATA section that is never closed") }
        let text = Array(bytes[start..<end])
        advance(to: end + 3)
        return text
    }

    // MARK: Comments, processing instructions, the document type

    /// Comments, processing instructions, white space and (before the root) one document type declaration.
    private mutating func miscellany(allowingDoctype: Bool) throws(ParseError) {
        var doctypeAllowed = allowingDoctype
        while true {
            skipSpaces()
            if starts(with: "<!--") {
                try comment()
            } else if starts(with: "<?") {
                try processingInstruction()
            } else if starts(with: "<!DOCTYPE") {
                guard doctypeAllowed else { throw failure("a DOCTYPE after the root element or given twice") }
                doctypeAllowed = false
                try doctype()
            } else {
                return
            }
        }
    }

    private mutating func comment() throws(ParseError) {
        let start = index
        advance(by: 4)
        guard let end = find("--") else {
            advance(to: start)
            throw failure("a comment that is never closed")
        }
        advance(to: end)
        guard starts(with: "-->") else { throw failure("'--' inside a comment") }
        advance(by: 3)
    }

    private mutating func processingInstruction() throws(ParseError) {
        advance(by: 2)
        let target = try name(else: "a processing instruction (<?…) without a name")
        if target.lowercased() == "xml" {
            throw failure("an XML declaration (<?xml …?>) that is not at the very start of the file")
        }
        try skip(past: "?>", else: "a processing instruction <?\(target) that is never closed")
    }

    /// Skips `<!DOCTYPE …>` with its internal subset; the declarations in it are not read.
    private mutating func doctype() throws(ParseError) {
        let start = index
        var depth = 0
        var quote: UInt8?
        advance(by: 9)
        while index < bytes.count {
            let byte = bytes[index]
            advance(by: 1)
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: ">"), depth <= 0 {
                return
            }
        }
        advance(to: start)
        throw failure("a DOCTYPE that is never closed")
    }

    // MARK: Position

    private var column: Int {
        // Characters, not bytes: UTF-8 continuation bytes do not start a character.
        bytes[lineStart..<index].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
    }

    private func failure(_ reason: String) -> ParseError {
        ParseError(line: line, column: column, reason: reason)
    }

    private mutating func advance(by count: Int) { advance(to: min(index + count, bytes.count)) }

    /// Moves to `target`, forwards or back, keeping the line count.
    private mutating func advance(to target: Int) {
        if target < index {
            index = 0
            line = 1
            lineStart = 0
        }
        while index < target {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
    }

    @discardableResult
    private mutating func skipSpaces() -> Bool {
        let start = index
        while index < bytes.count, Self.isSpace(bytes[index]) { advance(by: 1) }
        return index > start
    }

    private mutating func skip(past terminator: String, else reason: String) throws(ParseError) {
        guard let end = find(terminator) else { throw failure(reason) }
        advance(to: end + terminator.utf8.count)
    }

    private func find(_ pattern: String) -> Int? {
        let pattern = Array(pattern.utf8)
        guard bytes.count - index >= pattern.count else { return nil }
        for start in index...(bytes.count - pattern.count)
        where bytes[start] == pattern[0] && bytes[start..<start + pattern.count].elementsEqual(pattern) {
            return start
        }
        return nil
    }

    private func starts(with prefix: String) -> Bool { starts(with: Array(prefix.utf8)) }

    private func starts(with prefix: [UInt8]) -> Bool {
        bytes.count - index >= prefix.count && bytes[index..<index + prefix.count].elementsEqual(prefix)
    }

    /// A C0 control other than tab, LF and CR, or U+FFFE / U+FFFF: characters XML 1.0 does not allow anywhere.
    private func firstDisallowedCharacter() -> Int? {
        for offset in index..<bytes.count {
            let byte = bytes[offset]
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return offset }
            if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBF, bytes[offset + 2] >= 0xBE {
                return offset
            }
        }
        return nil
    }

    private static func xmlCharacter(_ value: UInt32) -> Unicode.Scalar? {
        guard value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0xFFFD).contains(value)
            || (0x10000...0x10FFFF).contains(value)
        else { return nil }
        return Unicode.Scalar(value)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    private static func isNameContinuation(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
