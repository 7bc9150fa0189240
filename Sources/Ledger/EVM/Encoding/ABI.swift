public import LightboxCrypto

/// The contract ABI's encoding of values as 32-byte words, heads then tails (the Solidity ABI specification).
///
/// Decoding is strict and bounded: every offset and length is checked against the data, padding must be zero, and a
/// value must fit its type, so a malicious or broken endpoint gets an error, never a crash or a wrong number.
public enum ABI {
    /// The 4-byte selector of a function or error signature such as `transfer(address,uint256)`.
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.hash(Array(signature.utf8)).prefix(4))
    }

    /// Encodes values as the tuple of `types` (a function's arguments, an event's data).
    /// - Throws: ``EVMError`` `.encoding` when a value does not fit its type.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(EVMError) -> [UInt8] {
        try encodeTuple(values, types)
    }

    /// Decodes the tuple of `types` from `data` (a call's output, an event's data).
    /// - Throws: ``EVMError`` `.encoding` naming what is wrong.
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(EVMError) -> [ABIValue] {
        try Decoder(data: data).tuple(types, at: 0)
    }

    // MARK: Encoding

    private static func encodeTuple(_ values: [ABIValue], _ types: [ABIType]) throws(EVMError) -> [UInt8] {
        guard values.count == types.count else {
            throw EVMError(.encoding, "ABI: \(values.count) values for \(types.count) types (\(ABIType.tuple(types)))")
        }
        let headSize = types.reduce(0) { $0 + $1.headSize }
        var head = [UInt8](), tail = [UInt8]()
        for (value, type) in zip(values, types) {
            let encoded = try encodeValue(value, type)
            if type.isDynamic {
                head += word(UInt128(headSize + tail.count))
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    private static func encodeValue(_ value: ABIValue, _ type: ABIType) throws(EVMError) -> [UInt8] {
        switch (type, value) {
        case (.uint(let bits), .uint(let number)):
            guard bits >= 128 || number >> bits == 0 else { throw EVMError(.encoding, "ABI: \(number) does not fit uint\(bits)") }
            return word(number)
        case (.int(let bits), .int(let number)):
            if bits < 128 {
                let limit = Int128(1) << (bits - 1)
                guard number >= -limit && number < limit else { throw EVMError(.encoding, "ABI: \(number) does not fit int\(bits)") }
            }
            let fill: UInt8 = number < 0 ? 0xff : 0
            return [UInt8](repeating: fill, count: 16) + bigEndian(UInt128(bitPattern: number))
        case (.address, .address(let address)):
            return [UInt8](repeating: 0, count: 12) + address.bytes
        case (.bool, .bool(let flag)):
            return word(flag ? 1 : 0)
        case (.fixedBytes(let size), .fixedBytes(let bytes)):
            guard bytes.count == size else { throw EVMError(.encoding, "ABI: \(bytes.count) bytes for bytes\(size)") }
            return padded(bytes)
        case (.bytes, .bytes(let bytes)):
            return word(UInt128(bytes.count)) + padded(bytes)
        case (.string, .string(let text)):
            let bytes = Array(text.utf8)
            return word(UInt128(bytes.count)) + padded(bytes)
        case (.array(let element), .array(let elements)):
            return word(UInt128(elements.count)) + (try encodeTuple(elements, Array(repeating: element, count: elements.count)))
        case (.fixedArray(let element, let count), .array(let elements)):
            guard elements.count == count else { throw EVMError(.encoding, "ABI: \(elements.count) elements for \(type)") }
            return try encodeTuple(elements, Array(repeating: element, count: count))
        case (.tuple(let members), .tuple(let values)):
            return try encodeTuple(values, members)
        default:
            throw EVMError(.encoding, "ABI: a value \(value) cannot be encoded as \(type)")
        }
    }

    static func word(_ value: UInt128) -> [UInt8] { [UInt8](repeating: 0, count: 16) + bigEndian(value) }

    private static func bigEndian(_ value: UInt128) -> [UInt8] {
        (0..<16).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
    }

    // MARK: Decoding

    private struct Decoder {
        let data: [UInt8]

        func tuple(_ types: [ABIType], at base: Int) throws(EVMError) -> [ABIValue] {
            var values = [ABIValue]()
            values.reserveCapacity(types.count)
            var head = base
            for type in types {
                if type.isDynamic {
                    let offset = try integer(at: head, what: "an offset")
                    guard offset <= data.count - base else { throw EVMError(.encoding, "ABI: an offset of \(offset) points past the data") }
                    values.append(try value(type, at: base + offset))
                } else {
                    values.append(try value(type, at: head))
                }
                head += type.headSize
            }
            return values
        }

        private func value(_ type: ABIType, at position: Int) throws(EVMError) -> ABIValue {
            switch type {
            case .uint(let bits):
                let word = try self.word(at: position)
                guard word.prefix(32 - bits / 8).allSatisfy({ $0 == 0 }) else {
                    throw EVMError(.encoding, "ABI: a value does not fit uint\(bits)\(bits > 128 ? " (Lightbox reads at most 128 bits)" : "")")
                }
                guard word.prefix(16).allSatisfy({ $0 == 0 }) else {
                    throw EVMError(.encoding, "ABI: a uint\(bits) of more than 128 bits, which Lightbox does not read")
                }
                return .uint(word.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
            case .int(let bits):
                let word = try self.word(at: position)
                let fill: UInt8 = word[0] & 0x80 == 0 ? 0 : 0xff
                let kept = min(bits, 128) / 8
                guard word.prefix(32 - kept).allSatisfy({ $0 == fill }), (word[32 - kept] & 0x80 == 0) == (fill == 0) else {
                    throw EVMError(.encoding, "ABI: a value does not fit int\(min(bits, 128)) as Lightbox reads it")
                }
                return .int(Int128(bitPattern: word.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }))
            case .address:
                let word = try self.word(at: position)
                guard word.prefix(12).allSatisfy({ $0 == 0 }) else { throw EVMError(.encoding, "ABI: an address word with non-zero padding") }
                let bytes = Array(word[12...])
                return .address(try! EthereumAddress(bytes: bytes))
            case .bool:
                let word = try self.word(at: position)
                guard word.prefix(31).allSatisfy({ $0 == 0 }), word[31] <= 1 else { throw EVMError(.encoding, "ABI: a bool that is neither 0 nor 1") }
                return .bool(word[31] == 1)
            case .fixedBytes(let size):
                let word = try self.word(at: position)
                guard word.suffix(32 - size).allSatisfy({ $0 == 0 }) else { throw EVMError(.encoding, "ABI: bytes\(size) with non-zero padding") }
                return .fixedBytes(Array(word.prefix(size)))
            case .bytes:
                return .bytes(try lengthPrefixed(at: position))
            case .string:
                let bytes = try lengthPrefixed(at: position)
                guard let text = String(validating: bytes, as: UTF8.self) else { throw EVMError(.encoding, "ABI: a string that is not UTF-8") }
                return .string(text)
            case .array(let element):
                let count = try integer(at: position, what: "an array length")
                guard count <= (data.count - position - 32) / 32 else {
                    throw EVMError(.encoding, "ABI: an array of \(count) elements does not fit the data")
                }
                return .array(try tuple(Array(repeating: element, count: count), at: position + 32))
            case .fixedArray(let element, let count):
                return .array(try tuple(Array(repeating: element, count: count), at: position))
            case .tuple(let members):
                return .tuple(try tuple(members, at: position))
            }
        }

        private func word(at position: Int) throws(EVMError) -> [UInt8] {
            guard position >= 0, position <= data.count - 32 else {
                throw EVMError(.encoding, "ABI: the data ends at byte \(data.count), before a word at \(position)")
            }
            return Array(data[position..<position + 32])
        }

        /// A word read as a length or an offset: it must be small enough to index the data.
        private func integer(at position: Int, what: String) throws(EVMError) -> Int {
            let word = try self.word(at: position)
            guard word.prefix(28).allSatisfy({ $0 == 0 }) else { throw EVMError(.encoding, "ABI: \(what) too large for the data") }
            return word.suffix(4).reduce(0) { $0 << 8 | Int($1) }
        }

        private func lengthPrefixed(at position: Int) throws(EVMError) -> [UInt8] {
            let length = try integer(at: position, what: "a length")
            let start = position + 32
            guard length <= data.count - start else { throw EVMError(.encoding, "ABI: \(length) bytes run past the data") }
            let paddedEnd = start + (length + 31) / 32 * 32
            guard paddedEnd <= data.count, data[(start + length)..<paddedEnd].allSatisfy({ $0 == 0 }) else {
                throw EVMError(.encoding, "ABI: bytes with missing or non-zero padding")
            }
            return Array(data[start..<start + length])
        }
    }
}
