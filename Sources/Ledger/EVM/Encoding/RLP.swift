/// Recursive Length Prefix, Ethereum's serialisation of transactions: an item is a byte string or a list of items.
///
/// Decoding is strict: a length written in more bytes than needed, a single byte below 0x80 wrapped in a prefix,
/// or bytes left over are refused, so one value has exactly one encoding.
public enum RLP: Sendable, Equatable {
    case bytes([UInt8])
    case list([RLP])

    /// An unsigned integer: its minimal big-endian bytes (zero is the empty string).
    public static func uint<T: UnsignedInteger & FixedWidthInteger>(_ value: T) -> RLP {
        .bytes(value.minimalBigEndianBytes)
    }

    /// The encoding.
    public var encoded: [UInt8] {
        var out = [UInt8]()
        append(to: &out)
        return out
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])
            } else {
                Self.appendHeader(length: bytes.count, short: 0x80, long: 0xb7, to: &out)
                out += bytes
            }
        case .list(let items):
            var payload = [UInt8]()
            for item in items { item.append(to: &payload) }
            Self.appendHeader(length: payload.count, short: 0xc0, long: 0xf7, to: &out)
            out += payload
        }
    }

    private static func appendHeader(length: Int, short: UInt8, long: UInt8, to out: inout [UInt8]) {
        if length <= 55 {
            out.append(short + UInt8(length))
        } else {
            let lengthBytes = UInt64(length).minimalBigEndianBytes
            out.append(long + UInt8(lengthBytes.count))
            out += lengthBytes
        }
    }

    /// Decodes exactly one item that fills `bytes`.
    /// - Throws: ``EVMError`` `.encoding` naming what is wrong.
    public init(decoding bytes: [UInt8]) throws(EVMError) {
        var reader = Reader(bytes: bytes)
        self = try reader.item()
        guard reader.offset == bytes.count else {
            throw EVMError(.encoding, "RLP: \(bytes.count - reader.offset) bytes follow the item")
        }
    }

    /// The byte string, or an error for a list.
    public func byteString() throws(EVMError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw EVMError(.encoding, "RLP: expected a byte string, found a list") }
        return bytes
    }

    /// The items of a list, or an error for a byte string.
    public func listItems() throws(EVMError) -> [RLP] {
        guard case .list(let items) = self else { throw EVMError(.encoding, "RLP: expected a list, found a byte string") }
        return items
    }

    /// The byte string as a canonical unsigned integer (no leading zero bytes) that fits `T`.
    public func integer<T: UnsignedInteger & FixedWidthInteger>(as type: T.Type = T.self) throws(EVMError) -> T {
        let bytes = try byteString()
        guard bytes.first != 0 else { throw EVMError(.encoding, "RLP: an integer with a leading zero byte") }
        guard bytes.count <= T.bitWidth / 8 else { throw EVMError(.encoding, "RLP: an integer of \(bytes.count) bytes does not fit \(T.bitWidth) bits") }
        return bytes.reduce(T(0)) { $0 << 8 | T($1) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func item() throws(EVMError) -> RLP {
            guard offset < bytes.count else { throw EVMError(.encoding, "RLP: the input ends where an item should start") }
            let prefix = bytes[offset]
            offset += 1
            switch prefix {
            case 0x00...0x7f:
                return .bytes([prefix])
            case 0x80...0xbf:
                let length = try self.length(prefix: prefix, short: 0x80, long: 0xb7)
                let payload = try take(length)
                if length == 1 && payload[0] < 0x80 {
                    throw EVMError(.encoding, "RLP: a single byte below 0x80 must be encoded as itself")
                }
                return .bytes(payload)
            default:
                let length = try self.length(prefix: prefix, short: 0xc0, long: 0xf7)
                let end = offset + length
                var items = [RLP]()
                while offset < end { items.append(try item()) }
                guard offset == end else { throw EVMError(.encoding, "RLP: a list's items overrun its length") }
                return .list(items)
            }
        }

        private mutating func length(prefix: UInt8, short: UInt8, long: UInt8) throws(EVMError) -> Int {
            if prefix <= long { return Int(prefix - short) }
            let lengthBytes = try take(Int(prefix - long))
            guard lengthBytes[0] != 0 else { throw EVMError(.encoding, "RLP: a length with a leading zero byte") }
            guard lengthBytes.count <= 4 else { throw EVMError(.encoding, "RLP: a length over 4 GiB") }
            let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard length > 55 else { throw EVMError(.encoding, "RLP: a long-form length of \(length), which fits the short form") }
            return length
        }

        private mutating func take(_ count: Int) throws(EVMError) -> [UInt8] {
            guard count <= bytes.count - offset else {
                throw EVMError(.encoding, "RLP: an item of \(count) bytes runs past the end of the input")
            }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
    }
}

extension FixedWidthInteger where Self: UnsignedInteger {
    /// Big-endian bytes without leading zeros (zero is no bytes).
    var minimalBigEndianBytes: [UInt8] {
        let byteCount = (Self.bitWidth - leadingZeroBitCount + 7) / 8
        return (0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: self >> ($0 * 8)) }
    }
}
