/// Unsigned LEB128 varints as multiformats uses them (at most 9 bytes, minimal encoding).
public enum Varint {
    /// Appends the varint encoding of `value` to `output`.
    @inlinable
    public static func append(_ value: UInt64, to output: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    /// The varint encoding of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        append(value, to: &out)
        return out
    }

    /// How many bytes `value` takes as a varint.
    public static func byteCount(_ value: UInt64) -> Int {
        var count = 1
        var value = value >> 7
        while value != 0 {
            count += 1
            value >>= 7
        }
        return count
    }

    /// Decodes a varint at `offset`, advancing it.
    /// - Throws: ``ContentAddressingError`` `.truncated` when the bytes end first, `.invalidVarint` when it is
    ///   longer than 9 bytes or not minimally encoded.
    public static func decode<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at offset: inout Bytes.Index
    ) throws(ContentAddressingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        for position in 0..<9 {
            guard index < bytes.endIndex else {
                throw ContentAddressingError(.truncated, "the data ends inside a varint")
            }
            let byte = bytes[index]
            index = bytes.index(after: index)
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && position > 0 {
                    throw ContentAddressingError(.invalidVarint, "a varint is not minimally encoded")
                }
                offset = index
                return result
            }
            shift += 7
        }
        throw ContentAddressingError(.invalidVarint, "a varint is longer than 9 bytes")
    }
}
