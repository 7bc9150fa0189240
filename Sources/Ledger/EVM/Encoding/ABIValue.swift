public import LightboxCrypto

/// A value to ABI-encode, or one decoded. Integers are held in 128 bits: every amount, id and time Lightbox's
/// contracts use fits, and a decoded word that does not is refused rather than truncated.
public indirect enum ABIValue: Sendable, Hashable {
    case uint(UInt128)
    case int(Int128)
    case address(EthereumAddress)
    case bool(Bool)
    /// `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    /// `T[]` or `T[k]`.
    case array([ABIValue])
    case tuple([ABIValue])

    // MARK: Reading decoded values

    public func asUInt128() throws(EVMError) -> UInt128 {
        guard case .uint(let value) = self else { throw mismatch("an unsigned integer") }
        return value
    }

    public func asUInt64() throws(EVMError) -> UInt64 {
        let value = try asUInt128()
        guard let narrow = UInt64(exactly: value) else { throw EVMError(.encoding, "ABI: \(value) does not fit 64 bits") }
        return narrow
    }

    public func asAddress() throws(EVMError) -> EthereumAddress {
        guard case .address(let address) = self else { throw mismatch("an address") }
        return address
    }

    public func asBool() throws(EVMError) -> Bool {
        guard case .bool(let flag) = self else { throw mismatch("a bool") }
        return flag
    }

    /// The bytes of `bytes` or `bytesN`.
    public func asBytes() throws(EVMError) -> [UInt8] {
        switch self {
        case .bytes(let bytes), .fixedBytes(let bytes): return bytes
        default: throw mismatch("bytes")
        }
    }

    public func asString() throws(EVMError) -> String {
        guard case .string(let text) = self else { throw mismatch("a string") }
        return text
    }

    /// The members of a tuple or the elements of an array.
    public func asList() throws(EVMError) -> [ABIValue] {
        switch self {
        case .array(let values), .tuple(let values): return values
        default: throw mismatch("a tuple or an array")
        }
    }

    private func mismatch(_ expected: String) -> EVMError {
        EVMError(.encoding, "ABI: expected \(expected), found \(self)")
    }
}
