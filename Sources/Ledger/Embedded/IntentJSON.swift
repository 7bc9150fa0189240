import LightboxCrypto

/// EIP-712 messages as JSON, the way `eth_signTypedData_v4` writes them: integers as decimal strings, bytes as
/// 0x-hex, addresses checksummed, structs as objects. Reading needs the types, as in EIP-712.
enum IntentJSON {
    static func encode(_ value: EIP712.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .bytes(let bytes): .string("0x" + bytes.hexString)
        case .word(let word): .string(decimal(word))
        case .bool(let flag): .bool(flag)
        case .address(let address): .string(address.description)
        case .object(let members): .object(members.mapValues(encode))
        case .array(let values): .array(values.map(encode))
        }
    }

    static func decode(_ json: JSONValue, type: String, types: [String: [EIP712.Field]]) throws(LedgerError) -> EIP712.Value {
        if let fields = types[type] {
            guard case .object(let members) = json, members.count == fields.count else {
                throw LedgerError(.invalidIntent, "a \(type) must be an object with exactly its \(fields.count) fields")
            }
            var values: [String: EIP712.Value] = [:]
            for field in fields {
                guard let member = members[field.name] else { throw LedgerError(.invalidIntent, "\(type) lacks field \(field.name)") }
                values[field.name] = try decode(member, type: field.type, types: types)
            }
            return .object(values)
        }
        switch (type, json) {
        case ("string", .string(let text)): return .string(text)
        case ("bool", .bool(let flag)): return .bool(flag)
        case ("address", .string(let text)):
            guard let address = try? EthereumAddress(text) else { throw LedgerError(.invalidIntent, "'\(text.prefix(60))' is not an address") }
            return .address(address)
        case (_, .string(let text)) where type.hasPrefix("uint"):
            guard let value = try? EIP712.Value.uint(decimal: text) else {
                throw LedgerError(.invalidIntent, "'\(text.prefix(80))' is not a decimal \(type)")
            }
            return value
        case (_, .string(let text)) where type.hasPrefix("bytes"):
            guard text.hasPrefix("0x"), let bytes = [UInt8](hexString: String(text.dropFirst(2))) else {
                throw LedgerError(.invalidIntent, "'\(text.prefix(80))' is not 0x-hex bytes")
            }
            return .bytes(bytes)
        default:
            throw LedgerError(.invalidIntent, "a JSON value does not fit EIP-712 type \(type)")
        }
    }

    /// A 256-bit big-endian word in decimal.
    static func decimal(_ word: [UInt8]) -> String {
        var digits: [UInt8] = []
        var number = word
        while number.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for index in number.indices {
                let value = remainder << 8 | UInt32(number[index])
                number[index] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }
}
