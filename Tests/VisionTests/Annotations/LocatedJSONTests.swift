import Foundation
import Testing
import Vision

@Suite("Located JSON")
struct LocatedJSONTests {
    static func parse(_ text: String) throws -> LocatedJSON.Value {
        try LocatedJSON(parsing: Array(text.utf8)).root
    }

    static func syntaxError(_ text: String) -> LocatedJSON.SyntaxError? {
        do {
            _ = try LocatedJSON(parsing: Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("values know their kind and the line they start on")
    func valuesAndLines() throws {
        let root = try Self.parse(
            """
            {
              "images": [
                {"id": 1, "file_name": "a.jpg"},
                {"id": 2,
                 "file_name": "b.jpg"}
              ],
              "flag": true, "none": null,
              "n": -0.25e2
            }
            """)
        #expect(root.kind == .object && root.line == 1 && root.count == 4)
        let images = try #require(root["images"])
        #expect(images.kind == .array && images.line == 2 && images.count == 2)
        let lines = images.elements.map(\.line)
        #expect(lines == [3, 4])
        let second = Array(images.elements)[1]
        #expect(second["file_name"]?.line == 5)
        #expect(second["file_name"]?.string == "b.jpg")
        #expect(root["flag"]?.bool == true && root["none"]?.kind == .null)
        #expect(root["n"]?.number == -25 && root["n"]?.int == -25 && root["n"]?.isIntegerLiteral == false)
        #expect(root["missing"] == nil && images["id"] == nil)
        #expect(root.members.map(\.key) == ["images", "flag", "none", "n"])
    }

    @Test("numbers: integer literals exact, others as the nearest double")
    func numbers() throws {
        let root = try Self.parse(
            "[0, -7, 9007199254740993, 1.5, 1e2, 12.0, 1.25, 0.1, 123456789012345678901234567890]")
        let values = Array(root.elements)
        #expect(values.map(\.isIntegerLiteral) == [true, true, true, false, false, false, false, false, true])
        #expect(values[2].int == 9_007_199_254_740_993)
        #expect(values[4].int == 100 && values[5].int == 12 && values[6].int == nil)
        #expect(values[7].number == 0.1)
        #expect(values[8].int == nil && values[8].number == 1.2345678901234568e29)
        // The fast path agrees with Swift's correctly rounded conversion.
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<2000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...19))
            let point = Int.random(in: 0...digits.count)
            var text = String(digits.prefix(point)) + (point < digits.count ? "." + digits.dropFirst(point) : "")
            if text.hasPrefix(".") { text = "0" + text }
            while text.count > 1 && text.hasPrefix("0") && !text.hasPrefix("0.") { text.removeFirst() }
            if Bool.random() { text += "e\(Int.random(in: -30...30))" }
            texts.append(Bool.random() ? "-" + text : text)
        }
        let parsed = try Self.parse("[" + texts.joined(separator: ",") + "]").elements.map(\.number)
        for (text, value) in zip(texts, parsed) {
            #expect(value?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test("string escapes, surrogate pairs and UTF-8")
    func strings() throws {
        let root = try Self.parse(
            #"["a\"b\\c\/d\b\f\n\r\t", "\u00e9t\u00C9", "\ud83d\ude00!", "\ud800x", "ça 😀", "k\u0065y"]"#)
        let strings = root.elements.map(\.string)
        #expect(strings == ["a\"b\\c/d\u{8}\u{c}\n\r\t", "étÉ", "😀!", "\u{FFFD}x", "ça 😀", "key"])
        let object = try Self.parse(#"{"k\u0065y": 1, "key": 2, "other": 3}"#)
        #expect(object["key"]?.int == 2)  // the last of a repeated key
    }

    @Test(
        "syntax errors give line, column and what was expected",
        arguments: [
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}' after an object member"),
            ("[1, 2,]", 1, 7, "expected a value after ',' (trailing commas are not JSON)"),
            ("{\"a\": 1,}", 1, 9, "expected a member name in double quotes after ','"),
            ("[1 2]", 1, 4, "expected ',' or ']' after an array element"),
            ("{\"a\" 1}", 1, 6, "expected ':' after a member name"),
            ("[\"abc", 1, 6, "unterminated string"),
            ("[\"a\tb\"]", 1, 4, "control character (0x9) in a string: write it as an escape"),
            ("[\"a\\x\"]", 1, 5, "invalid escape '\\x' in a string"),
            ("[\"\\u12G4\"]", 1, 7, "expected four hexadecimal digits after \\u"),
            ("[012]", 1, 3, "numbers cannot have leading zeros"),
            ("[1.]", 1, 4, "expected a digit after '.'"),
            ("[-]", 1, 3, "expected a digit after '-'"),
            ("[1e+]", 1, 5, "expected a digit in the exponent"),
            ("[1e400]", 1, 2, "number too large for a 64-bit floating point value"),
            ("[tru]", 1, 2, "expected a value (object, array, string, number, true, false or null)"),
            ("{} {}", 1, 4, "unexpected data after the top-level value"),
            ("", 1, 1, "expected a value, found the end of the input"),
            ("[1,\n [2,\n  ", 3, 3, "expected a value, found the end of the input"),
            ("{\"é\": [1, NaN]}", 1, 11, "expected a value (object, array, string, number, true, false or null)"),
        ])
    func syntaxErrors(text: String, line: Int, column: Int, reason: String) {
        let error = Self.syntaxError(text)
        #expect(error == LocatedJSON.SyntaxError(line: line, column: column, reason: reason))
    }

    @Test("invalid UTF-8 in a string is a syntax error")
    func invalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
            #expect(throws: LocatedJSON.SyntaxError.self) { try LocatedJSON(parsing: bytes) }
        }
        #expect(try LocatedJSON(parsing: [0x22, 0xE2, 0x82, 0xAC, 0x22]).root.string == "€")
        #expect(try LocatedJSON(parsing: [0xEF, 0xBB, 0xBF, 0x31]).root.int == 1)  // after a byte order mark
    }

    @Test("nesting is limited to 512 levels")
    func depth() throws {
        let deep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try Self.parse(deep).count == 1)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = Self.syntaxError(tooDeep)
        #expect(error?.reason == "arrays and objects nested deeper than 512 levels" && error?.column == 513)
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(Self.syntaxError(hostile)?.column == 513)
    }
}
