import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element with the line its start tag is on; text is the element's own character data.
struct ParsedXMLElement {
    var name: String
    var line: Int
    var text = ""
    var children: [ParsedXMLElement] = []

    func child(_ name: String) -> ParsedXMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [ParsedXMLElement] { children.filter { $0.name == name } }
    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Parses small XML files (VOC annotations) into ``ParsedXMLElement``s with XMLParser (libxml2).
enum XMLTree {
    struct ParseError: Error {
        var line: Int
        var column: Int
        var reason: String

        init(line: Int, column: Int, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        /// At `parser`'s position, which XMLParser counts from 0 before it has read a line (an empty file).
        init(at parser: XMLParser, reason: String) {
            line = max(parser.lineNumber, 1)
            column = max(parser.columnNumber, 1)
            self.reason = reason
        }
    }

    static func parse(_ bytes: [UInt8]) -> Result<ParsedXMLElement, ParseError> {
        // XMLParser hands invalid UTF-8 in a name to a conversion that traps (found by fuzzing): refuse it first.
        if let bad = firstInvalidUTF8(bytes) {
            let before = bytes[..<bad]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = bad - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return .failure(ParseError(line: line, column: column, reason: "byte \(bad) is not UTF-8; annotations are read as UTF-8 text"))
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let succeeded = parser.parse()
        if let error = builder.error { return .failure(error) }
        guard succeeded, let root = builder.root else {
            return .failure(ParseError(at: parser, reason: "no root element"))
        }
        return .success(root)
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [ParsedXMLElement] = []
        var root: ParsedXMLElement?
        var error: ParseError?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            stack.append(ParsedXMLElement(name: elementName, line: parser.lineNumber))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            guard let element = stack.popLast() else { return }
            if stack.isEmpty {
                root = root ?? element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard error == nil else { return }
            let code = (parseError as NSError).code
            error = ParseError(at: parser, reason: XMLTree.reason(code))
        }
    }

    /// libxml2's error codes in words, for the common ones.
    static func reason(_ code: Int) -> String {
        switch code {
        case 4: "the file is empty or is not XML"
        case 5: "the document ends before its elements are closed, or has content after its root element"
        case 6, 7, 8: "an invalid character reference (&#…;)"
        case 9: "a character XML does not allow"
        case 26: "an undeclared entity (&name;); write &amp; for a literal &"
        case 39, 40, 41: "an attribute value without quotes"
        case 42: "an attribute given twice"
        case 45: "a comment that is never closed"
        case 68: "a tag without a valid name"
        case 73: "expected '>' to end a tag"
        case 76: "a closing tag that does not match the open element"
        case 77: "a tag that is never closed"
        default: "XML syntax error (libxml2 code \(code))"
        }
    }
}
