import Foundation
import Testing

@testable import Vision

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The annotation XML reader against Foundation's XMLParser (libxml2) as the reference: the same trees for
/// well-formed documents, a refusal for malformed ones.
@Suite("XML reader")
struct XMLTreeTests {
    static let wellFormed: [String] = [
        "<annotation/>",
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation><a>1</a></annotation>\n",
        "<?xml version='1.0'?><!-- made by a tool --><?tool run?>\n<annotation>\n  <folder>JPEGImages</folder>\n"
            + "  <size><width>640</width><height>480</height></size>\n</annotation>\n<!-- end -->\n",
        "<annotation verified=\"yes\" tool='cvat'><object id=\"1\"><name>cat &amp; dog &lt;3 &gt; &quot;x&quot; "
            + "&apos;y&apos;</name></object></annotation>",
        "<annotation><name>&#233;l&#xE8;ve &#x1F431;</name><pose>Unspecified</pose></annotation>",
        "<annotation><name><![CDATA[a < b & c]]></name><!-- - --><b/><c></c></annotation>",
        "<annotation>\r\n<name>two\r\nlines</name>\r\n</annotation>\r\n",
        "<!DOCTYPE annotation [ <!ELEMENT annotation ANY> ]>\n<annotation><x:y>1</x:y><_a-b.c>2</_a-b.c></annotation>",
        "<annotation><name>größe Katze</name><size ><width >1</width ></size></annotation>",
        "<annotation>text <b>bold</b> tail</annotation>",
        String(repeating: "<a>", count: 40) + "deep" + String(repeating: "</a>", count: 40),
    ]

    static let malformed: [(document: String, line: Int, reason: String)] = [
        ("", 1, "empty"),
        ("   \n", 2, "empty"),
        ("hello", 1, "text before the root"),
        ("<annotation>", 1, "ends before <annotation> is closed"),
        ("<annotation>\n  <object>\n  </objet>\n</annotation>", 3, "</objet> does not match the open element <object>"),
        ("<annotation><name>&e;</name></annotation>", 1, "undeclared entity (&e;)"),
        ("<annotation>a & b</annotation>", 1, "does not start a reference"),
        ("<annotation>&#0;</annotation>", 1, "invalid character reference"),
        ("<annotation>&#xD800;</annotation>", 1, "invalid character reference"),
        ("<annotation a=1/>", 1, "not in quotes"),
        ("<annotation a=\"1\" a=\"2\"/>", 1, "given twice"),
        ("<annotation a=\"<\"/>", 1, "'<' inside the value"),
        ("<annotation><!-- a -- b --></annotation>", 1, "'--' inside a comment"),
        ("<annotation><!-- open", 1, "comment that is never closed"),
        ("<annotation/><annotation/>", 1, "content after the root element"),
        ("<annotation/>\ntext", 2, "content after the root element"),
        ("<1a/>", 1, "tag without a valid name"),
        ("<annotation\u{01}/>", 1, "a character XML does not allow"),
        ("<annotation>]]></annotation>", 1, "']]>' in text"),
        ("<annotation><![CDATA[x</annotation>", 1, "CDATA section that is never closed"),
        ("<annotation/>\n<?xml version=\"1.0\"?>", 2, "not at the very start"),
        ("<annotation a=\"1\"b=\"2\"/>", 1, "expected '>'"),
        ("<annotation><!DOCTYPE a></annotation>", 1, "declaration (<!…) inside an element"),
        ("<!DOCTYPE a [ <!ELEMENT a ANY> ", 1, "DOCTYPE that is never closed"),
    ]

    @Test("well-formed documents give the reference's tree", arguments: wellFormed)
    func sameTree(document: String) throws {
        let bytes = Array(document.utf8)
        let reference = try #require(ReferenceXMLParser.parse(bytes), "the reference refuses \(document)")
        #expect(try XMLTree.parse(bytes).get() == reference)
    }

    @Test("the fuzzing corpus's well-formed VOC files give the reference's tree")
    func corpus() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../fuzz/corpus/voc").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var compared = 0
        for file in files where file != "truncated.xml" && file != "entity.xml" {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
            let reference = try #require(ReferenceXMLParser.parse(bytes), "\(file)")
            #expect(try XMLTree.parse(bytes).get() == reference, "\(file)")
            compared += 1
        }
        #expect(compared >= 4)
    }

    @Test("malformed documents are refused at their line, with the reason in words", arguments: malformed)
    func refused(document: String, line: Int, reason: String) throws {
        let bytes = Array(document.utf8)
        // XMLParser stops at the root's end tag and never reads what follows it; XML 1.0 refuses such content.
        if !reason.hasPrefix("content after the root") {
            #expect(ReferenceXMLParser.parse(bytes) == nil, "the reference accepts \(document)")
        }
        switch XMLTree.parse(bytes) {
        case .success(let root): Issue.record("accepted \(document) as <\(root.name)>")
        case .failure(let error):
            #expect(error.line == line, "\(document)")
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test("positions are lines and characters from 1")
    func positions() throws {
        let error = try #require(XMLTree.parse(Array("<a>\n  é <b></c></a>".utf8)).failure)
        #expect(error.line == 2 && error.column == 8)
        let invalid = try #require(XMLTree.parse([0x3C, 0x61, 0x3E, 0x0A, 0x78, 0xC0, 0xAE]).failure)
        #expect(invalid.line == 2 && invalid.column == 2 && invalid.reason.contains("not UTF-8"))
    }

    @Test("nesting deeper than the limit is refused, not recursed into")
    func depth() throws {
        let depth = XMLTree.maximumDepth + 1
        let document = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let error = try #require(XMLTree.parse(Array(document.utf8)).failure)
        #expect(error.reason.contains("nested more than \(XMLTree.maximumDepth)"))
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Foundation's XMLParser building the same tree, used only as the tests' reference.
private final class ReferenceXMLParser: NSObject, XMLParserDelegate {
    private var stack: [ParsedXMLElement] = []
    private var root: ParsedXMLElement?

    static func parse(_ bytes: [UInt8]) -> ParsedXMLElement? {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        let builder = ReferenceXMLParser()
        parser.delegate = builder
        return parser.parse() ? builder.root : nil
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        stack.append(ParsedXMLElement(name: elementName, line: parser.lineNumber, attributes: attributeDict))
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
}
