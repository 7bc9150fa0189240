/// The byte-level parser behind ``LocatedJSON``: one pass, no recursion, an explicit stack of open containers.
struct JSONTapeParser {
    typealias Node = LocatedJSON.Node
    typealias SyntaxError = LocatedJSON.SyntaxError

    private let bytes: UnsafeBufferPointer<UInt8>
    private var nodes: [Node] = []
    private var open: [Int] = []
    private var position = 0
    private var line = 1
    private var lineStart = 0
    /// Where the value being parsed starts.
    private var valueStart = 0

    /// Lines in the document so far (all of them after ``parse()``).
    var lineCount: Int { line }

    /// Parses `bytes`, which must stay valid while ``parse()`` runs.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(Self.estimatedNodeCount(bytes))
    }

    /// About one node per ',' ':' '[' '{' (more when strings hold these), so the tape is allocated once.
    private static func estimatedNodeCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        separatorTable.withUnsafeBufferPointer { table in
            var count = 1
            for byte in bytes { count &+= Int(table[Int(byte)]) }
            return count
        }
    }

    private static let separatorTable: [UInt8] = (0...255).map { byte in
        [UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "{")].contains(UInt8(byte)) ? 1 : 0
    }

    mutating func parse() throws(SyntaxError) -> [Node] {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
            lineStart = 3
        }
        skipWhitespace()
        try value()
        while let container = open.last {
            skipWhitespace()
            if nodes[container].kind == .array {
                try arrayStep(container)
            } else {
                try objectStep(container)
            }
        }
        skipWhitespace()
        if position < bytes.count { throw error("unexpected data after the top-level value") }
        return nodes
    }

    private mutating func arrayStep(_ container: Int) throws(SyntaxError) {
        let first = nodes[container].a == 0
        guard let byte = peek() else { throw error("unterminated array: expected ',' or ']'") }
        if byte == UInt8(ascii: "]") { return close(container) }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw error("expected ',' or ']' after an array element") }
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { throw error("expected a value after ',' (trailing commas are not JSON)") }
        }
        nodes[container].a += 1
        try value()
    }

    private mutating func objectStep(_ container: Int) throws(SyntaxError) {
        let first = nodes[container].a == 0
        guard let byte = peek() else { throw error("unterminated object: expected ',' or '}'") }
        if byte == UInt8(ascii: "}") { return close(container) }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw error("expected ',' or '}' after an object member") }
            position += 1
            skipWhitespace()
        }
        guard peek() == UInt8(ascii: "\"") else {
            throw error(
                first
                    ? "expected a member name in double quotes or '}'"
                    : "expected a member name in double quotes after ','")
        }
        nodes[container].a += 1
        try string()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
        position += 1
        skipWhitespace()
        try value()
    }

    private mutating func close(_ container: Int) {
        position += 1
        nodes[container].b = nodes.count
        open.removeLast()
    }

    private mutating func value() throws(SyntaxError) {
        valueStart = position
        guard let byte = peek() else { throw error("expected a value, found the end of the input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard open.count < LocatedJSON.maximumDepth else {
                throw error("arrays and objects nested deeper than \(LocatedJSON.maximumDepth) levels")
            }
            open.append(nodes.count)
            append(byte == UInt8(ascii: "{") ? .object : .array, a: 0, b: 0)
            position += 1
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .bool, 1)
        case UInt8(ascii: "f"): try literal("false", .bool, 0)
        case UInt8(ascii: "n"): try literal("null", .null, 0)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw error("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ word: StaticString, _ kind: LocatedJSON.Value.Kind, _ a: UInt64) throws(SyntaxError)
    {
        let count = word.utf8CodeUnitCount
        let matches =
            position + count <= bytes.count
            && word.withUTF8Buffer { word in
                (0..<count).allSatisfy { bytes[position + $0] == word[$0] }
            }
        guard matches else { throw error("expected a value (object, array, string, number, true, false or null)") }
        append(kind, a: a, b: 0)
        position += count
    }

    // MARK: Strings

    private mutating func string() throws(SyntaxError) {
        let start = position + 1
        var index = start
        var flags: UInt8 = 0
        let end = bytes.count
        while true {
            guard index < end else { position = index; throw error("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                flags |= Node.hasEscapes
                index += 1
                guard index < end else { position = index; throw error("unterminated string") }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    for offset in 1...4
                    where index + offset >= end || JSONStrings.hexValue(bytes[index + offset]) == nil {
                        position = index + offset
                        throw error("expected four hexadecimal digits after \\u")
                    }
                    index += 5
                default:
                    position = index
                    throw error("invalid escape '\\\(Unicode.Scalar(bytes[index]))' in a string")
                }
            } else if byte < 0x20 {
                position = index
                throw error("control character (0x\(String(byte, radix: 16))) in a string: write it as an escape")
            } else if byte < 0x80 {
                index += 1
            } else {
                guard let length = JSONStrings.validUTF8Sequence(bytes, at: index) else {
                    position = index
                    throw error("invalid UTF-8 in a string")
                }
                index += length
            }
        }
        nodes.append(
            Node(
                a: UInt64(start), b: index, line: UInt32(truncatingIfNeeded: line), kind: .string, flags: flags,
                column: column(of: start - 1)))
        position = index + 1
    }

    // MARK: Numbers

    private mutating func number() throws(SyntaxError) {
        let bytes = self.bytes
        let end = bytes.count
        let start = position
        var index = position
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end, bytes[index] &- 48 < 10 else {
            position = index
            throw error("expected a digit after '-'")
        }
        // Up to 19 digits fit a UInt64 without overflow; beyond that the slow path converts.
        var mantissa: UInt64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, bytes[index] &- 48 < 10 {
                position = index
                throw error("numbers cannot have leading zeros")
            }
        } else {
            while index < end, case let digit = bytes[index] &- 48, digit < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                digits += 1
                index += 1
            }
        }
        let integerEnd = index
        var fractionDigits = 0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, bytes[index] &- 48 < 10 else {
                position = index
                throw error("expected a digit after '.'")
            }
            while index < end, case let digit = bytes[index] &- 48, digit < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                if mantissa != 0 { digits += 1 }
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < end, bytes[index] &- 48 < 10 else {
                position = index
                throw error("expected a digit in the exponent")
            }
            while index < end, case let digit = bytes[index] &- 48, digit < 10 {
                exponent = min(exponent &* 10 &+ Int(digit), 1_000_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        position = index
        let exactMantissa = digits <= 19
        let isInteger = integerEnd == index
        var flags: UInt8 = isInteger ? Node.integerLiteral : 0
        var exact = 0
        if isInteger, exactMantissa, mantissa <= UInt64(Int.max) {
            exact = negative ? -Int(mantissa) : Int(mantissa)
            flags |= Node.exactInteger
        }
        let power = exponent - fractionDigits
        var value: Double
        if exactMantissa, mantissa <= 1 << 53, power >= -22, power <= 22 {
            let scale = JSONTapeParser.powersOfTen[power < 0 ? -power : power]
            value = power < 0 ? Double(mantissa) / scale : Double(mantissa) * scale
            if negative { value = -value }
        } else if mantissa == 0, digits == 0 || exactMantissa {
            value = negative ? -0.0 : 0
        } else {
            value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) ?? .infinity
        }
        guard value.isFinite else {
            position = start
            throw error("number too large for a 64-bit floating point value")
        }
        append(.number, a: value.bitPattern, b: exact, flags: flags)
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    // MARK: Bytes and positions

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): position += 1
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                lineStart = position
            default: return
            }
        }
    }

    private mutating func append(_ kind: LocatedJSON.Value.Kind, a: UInt64, b: Int, flags: UInt8 = 0) {
        nodes.append(
            Node(a: a, b: b, line: UInt32(truncatingIfNeeded: line), kind: kind, flags: flags, column: column(of: valueStart)))
    }

    /// The 1-based byte column of `offset` on the current line, 0 past 65,535 (a one-line file's columns are not
    /// worth keeping: its values are named by their place in the document instead).
    private func column(of offset: Int) -> UInt16 {
        let column = offset - lineStart + 1
        return column > 0 && column <= Int(UInt16.max) ? UInt16(column) : 0
    }

    private func error(_ reason: String) -> SyntaxError {
        let end = min(position, bytes.count)
        let column = bytes[lineStart..<end].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
        return SyntaxError(line: line, column: column, reason: reason)
    }
}
