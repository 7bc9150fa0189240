import Synchronization

/// A 20-byte Ethereum account address, written with its EIP-55 checksum.
public struct EthereumAddress: Sendable, Hashable, CustomStringConvertible, Codable {
    public let bytes: [UInt8]

    /// The address of a public key: the last 20 bytes of Keccak-256 of X ‖ Y.
    public init(publicKey: Secp256k1.PublicKey) {
        bytes = Array(Keccak256.hash(publicKey.rawXY).suffix(20))
    }

    /// Wraps 20 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 20 else { throw CryptoError(.invalidInput, "an address is 20 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Parses `0x…` text. Mixed case must carry a valid EIP-55 checksum; all-lower or all-upper is accepted as
    /// unchecksummed input.
    /// - Throws: ``CryptoError`` `.invalidInput` naming what is wrong.
    public init(_ text: String) throws {
        guard text.hasPrefix("0x"), text.count == 42, let bytes = [UInt8](hexString: text) else {
            throw CryptoError(.invalidInput, "'\(text.prefix(60))' is not an address: expected 0x and 40 hex digits")
        }
        self.bytes = bytes
        let digits = text.utf8.dropFirst(2)
        let mixed = digits.contains { (0x41...0x46).contains($0) } && digits.contains { (0x61...0x66).contains($0) }
        if mixed && description != text {
            throw CryptoError(.invalidInput, "'\(text)' has a wrong EIP-55 checksum (expected \(description)); check for a typo")
        }
    }

    /// `0x` and 40 lower-case hex digits, without the checksum: how addresses are stored, indexed and compared as
    /// text.
    public var lowercaseHex: String { "0x" + bytes.hexString }

    /// EIP-55: a hex letter is upper-case where the matching nibble of Keccak-256(lower-case hex) is ≥ 8.
    public var description: String {
        if let known = Self.checksummed.withLock({ $0[bytes] }) { return known }
        let text = Self.checksum(bytes)
        Self.checksummed.withLock { known in
            if known.count >= Self.checksummedCapacity { known.removeAll(keepingCapacity: true) }
            known[bytes] = text
        }
        return text
    }

    /// EIP-55 texts made before, by address: the checksum costs a Keccak-256, and a node writes the same accounts
    /// again and again (records, events, responses). Up to `checksummedCapacity`, after which it starts again.
    private static let checksummed = Mutex<[[UInt8]: String]>([:])
    private static let checksummedCapacity = 65_536

    private static func checksum(_ bytes: [UInt8]) -> String {
        let lower = Array(bytes.hexString.utf8)
        let hash = Keccak256.hash(lower)
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        out.reserveCapacity(42)
        for (index, digit) in lower.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0f
            out.append(digit >= UInt8(ascii: "a") && nibble >= 8 ? digit - 0x20 : digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
