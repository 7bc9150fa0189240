import Testing
import Vision

/// Reports are canonical JSON: the same value always gives the same bytes.
@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("numbers are written in ECMAScript's shortest form (RFC 8785's examples and edges)")
    func numbers() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (0.1, "0.1"), (100, "100"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
            (1e-7, "1e-7"), (1e-6, "0.000001"), (123.456, "123.456"), (-0.5, "-0.5"), (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (333333333.33333329, "333333333.3333333"),
            (4.50, "4.5"), (2e-3, "0.002"), (0.000001234, "0.000001234"), (1.5e-7, "1.5e-7"), (Double.nan, "null"),
        ]
        for (value, expected) in cases {
            #expect(String(decoding: CanonicalJSON.bytes(.double(value)), as: UTF8.self) == expected, "\(value)")
        }
    }

    @Test("keys are sorted, strings minimally escaped, no whitespace")
    func structure() {
        let value: ReportValue = ["b": [1, true, .null], "a": "x\"\\\n\u{1}é", "A": 0.25]
        #expect(String(decoding: CanonicalJSON.bytes(value), as: UTF8.self) == "{\"A\":0.25,\"a\":\"x\\\"\\\\\\n\\u0001é\",\"b\":[1,true,null]}")
    }
}
