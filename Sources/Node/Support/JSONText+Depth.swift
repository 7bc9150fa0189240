extension JSONText {
    /// The deepest nesting of objects and arrays in `bytes`, found in one pass without parsing (brackets inside
    /// strings do not count), so a body can be refused before a decoder walks it.
    public static func nestingDepth(_ bytes: some Sequence<UInt8>) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// The deepest nesting Lightbox reads in a request body: its documents need fewer than ten levels.
    public static let maximumRequestDepth = 32
}
