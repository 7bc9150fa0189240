/// EIP-712 typed structured data: the type encoding, struct hashing and the digest an account signs.
///
/// ```swift
/// let data = EIP712.TypedData(types: ["Mail": [...], "Person": [...]], primaryType: "Mail",
///                              domain: [...], message: [...])
/// let digest = try data.digest()          // keccak(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))
/// let signature = try key.sign(digest: digest)
/// ```
public enum EIP712 {
    /// One member of a struct type: its name and Solidity type (`uint256`, `address`, `Person`, `bytes32[]`…).
    public struct Field: Sendable, Equatable {
        public let name: String
        public let type: String

        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A value in a typed message. Integers are 32-byte big-endian words (two's complement for `intN`).
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case bytes([UInt8])
        case word([UInt8])
        case bool(Bool)
        case address(EthereumAddress)
        case object([String: Value])
        case array([Value])

        /// An unsigned integer.
        public static func uint(_ value: UInt64) -> Value {
            .word([UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
        }

        /// An unsigned integer written in decimal (amounts in a token's smallest unit exceed 64 bits).
        /// - Throws: ``CryptoError`` `.invalidInput` for anything but decimal digits, or a value of 2²⁵⁶ or more.
        public static func uint(decimal text: String) throws -> Value {
            guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
                throw CryptoError(.invalidInput, "'\(text.prefix(80))' is not a decimal integer")
            }
            var word = [UInt8](repeating: 0, count: 32)
            for digit in text.utf8 {
                var carry = UInt32(digit - UInt8(ascii: "0"))
                for index in word.indices.reversed() {
                    let product = UInt32(word[index]) * 10 + carry
                    word[index] = UInt8(truncatingIfNeeded: product)
                    carry = product >> 8
                }
                guard carry == 0 else { throw CryptoError(.invalidInput, "\(text.prefix(80)) does not fit in 256 bits") }
            }
            return .word(word)
        }

        /// A signed integer.
        public static func int(_ value: Int64) -> Value {
            let fill: UInt8 = value < 0 ? 0xff : 0
            return .word([UInt8](repeating: fill, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
        }
    }

    /// A complete message to sign: its struct types, primary type, domain and values.
    public struct TypedData: Sendable {
        public let types: [String: [Field]]
        public let primaryType: String
        public let domain: [String: Value]
        public let message: [String: Value]

        /// Creates typed data; the `EIP712Domain` type is derived from the domain's fields when not given.
        public init(types: [String: [Field]], primaryType: String, domain: [String: Value], message: [String: Value]) {
            var types = types
            if types["EIP712Domain"] == nil {
                let canonical = [
                    Field("name", "string"), Field("version", "string"), Field("chainId", "uint256"),
                    Field("verifyingContract", "address"), Field("salt", "bytes32"),
                ]
                types["EIP712Domain"] = canonical.filter { domain[$0.name] != nil }
            }
            self.types = types
            self.primaryType = primaryType
            self.domain = domain
            self.message = message
        }

        /// `hashStruct(domain)`.
        public func domainSeparator() throws -> [UInt8] { try hashStruct("EIP712Domain", domain) }

        /// The digest an account signs: keccak(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)).
        public func digest() throws -> [UInt8] {
            Keccak256.hash([0x19, 0x01] + (try domainSeparator()) + (try hashStruct(primaryType, message)))
        }

        /// `encodeType`: the type, then every struct type it references, sorted by name.
        public func encodeType(_ name: String) throws -> String {
            var dependencies = Set<String>()
            try collectDependencies(name, into: &dependencies)
            dependencies.remove(name)
            return try ([name] + dependencies.sorted()).map { type in
                guard let fields = types[type] else { throw CryptoError(.invalidInput, "EIP-712 type \(type) is not defined") }
                return type + "(" + fields.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
            }.joined()
        }

        /// keccak(typeHash ‖ encodeData(value)).
        public func hashStruct(_ type: String, _ value: [String: Value]) throws -> [UInt8] {
            guard let fields = types[type] else { throw CryptoError(.invalidInput, "EIP-712 type \(type) is not defined") }
            var encoded = Keccak256.hash(Array(try encodeType(type).utf8))
            for field in fields {
                guard let member = value[field.name] else {
                    throw CryptoError(.invalidInput, "EIP-712 \(type) is missing its field \(field.name)")
                }
                encoded += try encodeValue(field.type, member, at: "\(type).\(field.name)")
            }
            return Keccak256.hash(encoded)
        }

        private func collectDependencies(_ type: String, into found: inout Set<String>) throws {
            let base = Self.baseType(type)
            guard let fields = types[base], found.insert(base).inserted else { return }
            for field in fields { try collectDependencies(field.type, into: &found) }
        }

        /// `uint256[][3]` → `uint256`.
        private static func baseType(_ type: String) -> String {
            type.firstIndex(of: "[").map { String(type[..<$0]) } ?? type
        }

        private func encodeValue(_ type: String, _ value: Value, at path: String) throws -> [UInt8] {
            let mismatch = CryptoError(.invalidInput, "EIP-712 \(path) does not hold a \(type)")
            if type.hasSuffix("]"), let open = type.lastIndex(of: "[") {
                guard case .array(let elements) = value else { throw mismatch }
                let length = type[type.index(after: open)..<type.index(before: type.endIndex)]
                if !length.isEmpty, Int(length) != elements.count {
                    throw CryptoError(.invalidInput, "EIP-712 \(path) must hold \(length) elements, not \(elements.count)")
                }
                let element = String(type[..<open])
                return Keccak256.hash(try elements.enumerated().flatMap { try encodeValue(element, $1, at: "\(path)[\($0)]") })
            }
            if types[type] != nil {
                guard case .object(let object) = value else { throw mismatch }
                return try hashStruct(type, object)
            }
            switch (type, value) {
            case ("string", .string(let text)): return Keccak256.hash(Array(text.utf8))
            case ("bytes", .bytes(let bytes)): return Keccak256.hash(bytes)
            case ("bool", .bool(let flag)): return [UInt8](repeating: 0, count: 31) + [flag ? 1 : 0]
            case ("address", .address(let address)): return [UInt8](repeating: 0, count: 12) + address.bytes
            default: break
            }
            if type.hasPrefix("bytes"), let size = Int(type.dropFirst(5)), (1...32).contains(size), case .bytes(let bytes) = value {
                guard bytes.count == size else { throw CryptoError(.invalidInput, "EIP-712 \(path) must be \(size) bytes") }
                return bytes + [UInt8](repeating: 0, count: 32 - size)
            }
            if type.hasPrefix("uint"), let bits = Int(type.dropFirst(4)), bits % 8 == 0, (8...256).contains(bits), case .word(let word) = value,
               word.count == 32
            {
                guard word.prefix(32 - bits / 8).allSatisfy({ $0 == 0 }) else {
                    throw CryptoError(.invalidInput, "EIP-712 \(path) does not fit in \(type)")
                }
                return word
            }
            if type.hasPrefix("int"), let bits = Int(type.dropFirst(3)), bits % 8 == 0, (8...256).contains(bits), case .word(let word) = value,
               word.count == 32
            {
                let fill: UInt8 = word[32 - bits / 8] & 0x80 == 0 ? 0 : 0xff
                guard word.prefix(32 - bits / 8).allSatisfy({ $0 == fill }) else {
                    throw CryptoError(.invalidInput, "EIP-712 \(path) does not fit in \(type)")
                }
                return word
            }
            throw mismatch
        }
    }
}
