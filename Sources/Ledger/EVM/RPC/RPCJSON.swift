import LightboxCrypto
/// JSON as JSON-RPC carries it: parameters sent and results read. Ethereum's QUANTITY and DATA values are strings
/// (`0x`-prefixed hex); numbers appear only in ids and error codes.
public indirect enum RPCJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([RPCJSON])
    case object([String: RPCJSON])

    /// A QUANTITY: hex without leading zeros.
    public static func quantity<T: UnsignedInteger & FixedWidthInteger>(_ value: T) -> RPCJSON {
        .string("0x" + String(value, radix: 16))
    }

    /// DATA: `0x` and two hex digits a byte.
    public static func data(_ bytes: [UInt8]) -> RPCJSON { .string("0x" + bytes.hexString) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([RPCJSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: RPCJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    // MARK: Reading results

    public subscript(key: String) -> RPCJSON? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    public var isNull: Bool { self == .null }

    /// A QUANTITY read as an unsigned integer.
    /// - Throws: ``EVMError`` `.malformedResponse` for anything else, or a value that does not fit `T`.
    public func quantity<T: UnsignedInteger & FixedWidthInteger>(as type: T.Type = T.self, _ what: String) throws(EVMError) -> T {
        guard case .string(let text) = self, text.hasPrefix("0x"), text.count > 2,
              let value = T(text.dropFirst(2), radix: 16)
        else { throw EVMError(.malformedResponse, "the node's \(what) is not a hex quantity that fits \(T.bitWidth) bits: \(self.brief)") }
        return value
    }

    /// DATA read as bytes.
    public func data(_ what: String) throws(EVMError) -> [UInt8] {
        guard case .string(let text) = self, text.hasPrefix("0x"), let bytes = [UInt8](hexString: text) else {
            throw EVMError(.malformedResponse, "the node's \(what) is not 0x-prefixed hex data: \(self.brief)")
        }
        return bytes
    }

    public func array(_ what: String) throws(EVMError) -> [RPCJSON] {
        guard case .array(let items) = self else { throw EVMError(.malformedResponse, "the node's \(what) is not an array: \(brief)") }
        return items
    }

    /// A member that must be present.
    public func member(_ key: String, of what: String) throws(EVMError) -> RPCJSON {
        guard let value = self[key] else { throw EVMError(.malformedResponse, "the node's \(what) has no \(key)") }
        return value
    }

    /// At most 120 characters of the value, for error messages.
    var brief: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "\(number)"
        case .string(let text): "\"\(text.prefix(100))\""
        case .array(let items): "an array of \(items.count)"
        case .object(let object): "an object with \(object.keys.sorted().prefix(6).joined(separator: ", "))"
        }
    }
}
