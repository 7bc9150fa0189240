/// A Solidity ABI type, as contracts' ABIs name them.
public indirect enum ABIType: Sendable, Hashable, CustomStringConvertible {
    case uint(Int)
    case int(Int)
    case address
    case bool
    /// `bytes1` … `bytes32`.
    case fixedBytes(Int)
    case bytes
    case string
    /// `T[]`.
    case array(ABIType)
    /// `T[k]`.
    case fixedArray(ABIType, Int)
    case tuple([ABIType])

    /// Whether values of the type are encoded in the tail (behind an offset) rather than in place.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: true
        case .fixedArray(let element, _): element.isDynamic
        case .tuple(let members): members.contains(where: \.isDynamic)
        default: false
        }
    }

    /// The bytes a value takes in its tuple's head: one word for dynamic types, the whole value for static ones.
    var headSize: Int {
        switch self {
        case _ where isDynamic: 32
        case .fixedArray(let element, let count): element.headSize * count
        case .tuple(let members): members.reduce(0) { $0 + $1.headSize }
        default: 32
        }
    }

    /// The canonical name used in selectors and event topics: `uint256`, `(address,uint256)[]`.
    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let size): "bytes\(size)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element): "\(element)[]"
        case .fixedArray(let element, let count): "\(element)[\(count)]"
        case .tuple(let members): "(" + members.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Parses a type as a JSON ABI writes it; `tuple` (with any array suffixes) takes its members from `components`.
    /// - Throws: ``EVMError`` `.encoding` for a name that is not an ABI type.
    public init(parsing name: String, components: [ABIType]? = nil) throws(EVMError) {
        if name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
            let element = try ABIType(parsing: String(name[..<open]), components: components)
            let size = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if size.isEmpty {
                self = .array(element)
            } else if let count = Int(size), count > 0 {
                self = .fixedArray(element, count)
            } else {
                throw EVMError(.encoding, "'\(name)' is not an ABI type: the array size must be a positive integer")
            }
            return
        }
        switch name {
        case "address": self = .address
        case "bool": self = .bool
        case "bytes": self = .bytes
        case "string": self = .string
        case "uint": self = .uint(256)
        case "int": self = .int(256)
        case "tuple":
            guard let components else { throw EVMError(.encoding, "a tuple type needs its components") }
            self = .tuple(components)
        default:
            if let bits = Self.size(of: name, prefix: "uint"), bits % 8 == 0, (8...256).contains(bits) {
                self = .uint(bits)
            } else if let bits = Self.size(of: name, prefix: "int"), bits % 8 == 0, (8...256).contains(bits) {
                self = .int(bits)
            } else if let size = Self.size(of: name, prefix: "bytes"), (1...32).contains(size) {
                self = .fixedBytes(size)
            } else {
                throw EVMError(.encoding, "'\(name.prefix(80))' is not an ABI type")
            }
        }
    }

    private static func size(of name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.first != "0", digits.allSatisfy(\.isASCII) else { return nil }
        return Int(digits)
    }
}
