import Node
import Testing

@Suite("JSON text")
struct JSONTextTests {
    @Test("strings are escaped as RFC 8259 asks")
    func escaping() {
        #expect(JSONText.quote("plain") == #""plain""#)
        #expect(JSONText.quote("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(JSONText.quote("ünï") == "\"ünï\"")
    }
}
