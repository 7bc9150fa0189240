/// String work for ``LocatedJSON``: UTF-8 validation while scanning, escape decoding when a string is read.
enum JSONStrings {
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - 55)
        default: nil
        }
    }

    /// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF)
    /// starting with the non-ASCII byte at `index`, or nil.
    static func validUTF8Sequence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        guard bytes[index + 1] >= low && bytes[index + 1] <= high else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether the string node's text is `key`.
    static func equals(_ source: UnsafeBufferPointer<UInt8>, node: LocatedJSON.Node, _ key: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        let start = Int(node.a)
        if node.flags & LocatedJSON.Node.hasEscapes == 0 {
            guard node.b - start == key.count else { return false }
            for offset in 0..<key.count where source[start + offset] != key[offset] { return false }
            return true
        }
        return key.elementsEqual(unescaped(Array(source[start..<node.b]), from: 0, to: node.b - start))
    }

    static func decode(_ source: [UInt8], node: LocatedJSON.Node) -> String {
        let start = Int(node.a)
        if node.flags & LocatedJSON.Node.hasEscapes == 0 {
            return String(decoding: source[start..<node.b], as: UTF8.self)
        }
        return String(decoding: unescaped(source, from: start, to: node.b), as: UTF8.self)
    }

    /// The UTF-8 of a string whose escapes the scanner has already validated. A `\u` surrogate pair becomes its
    /// scalar; an unpaired surrogate, which no Unicode string can hold, becomes U+FFFD.
    static func unescaped(_ source: [UInt8], from start: Int, to end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var index = start
        while index < end {
            let byte = source[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = source[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(source, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar), index + 6 <= end, source[index] == UInt8(ascii: "\\"),
                    source[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(source, at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(escape)  // " \ /
            }
        }
        return out
    }

    private static func hex4(_ source: [UInt8], at index: Int) -> UInt32 {
        (0..<4).reduce(0) { value, offset in value << 4 | (hexValue(source[index + offset]) ?? 0) }
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }
}
