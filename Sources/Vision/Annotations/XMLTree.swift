import Foundation

/// An XML element with the line its start tag is on; text is the element's own character data.
struct ParsedXMLElement: Equatable {
    var name: String
    var line: Int
    /// The attributes by name, values with references replaced.
    var attributes: [String: String] = [:]
    var text = ""
    var children: [ParsedXMLElement] = []

    func child(_ name: String) -> ParsedXMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [ParsedXMLElement] { children.filter { $0.name == name } }
    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Parses small XML files (VOC annotations) into ``ParsedXMLElement``s.
///
/// A reader of its own rather than Foundation's XMLParser, which crashed inside libxml2 on inputs found by fuzzing
/// (an undeclared entity reference in a document without a DTD). It checks XML 1.0 well-formedness for what
/// annotations use — elements, attributes, character data, the five predefined entities and character references,
/// CDATA, comments, processing instructions — and skips a document type declaration without reading it, so a
/// reference to an entity declared there is refused as undeclared. Element names and text are compared with
/// XMLParser's in the tests.
enum XMLTree {
    struct ParseError: Error, Equatable {
        var line: Int
        var column: Int
        var reason: String
    }

    /// Elements nested deeper than this are refused; an annotation needs four levels.
    static let maximumDepth = 256

    static func parse(_ bytes: [UInt8]) -> Result<ParsedXMLElement, ParseError> {
        if let bad = firstInvalidUTF8(bytes) {
            let position = XMLScanner.position(of: bad, in: bytes)
            return .failure(
                ParseError(
                    line: position.line, column: position.column,
                    reason: "byte \(bad) is not UTF-8; annotations are read as UTF-8 text"))
        }
        var scanner = XMLScanner(bytes)
        do {
            return .success(try scanner.document())
        } catch {
            return .failure(error)
        }
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
}
