import LightboxCrypto
/// Why a call reverted, from its revert data: `Error(string)` (a reason string), `Panic(uint256)` (an assertion,
/// overflow or division by zero), or a custom error's selector.
public enum RevertReason: Sendable, Equatable, CustomStringConvertible {
    case message(String)
    case panic(UInt128)
    /// A custom error: its selector and arguments, undecoded.
    case custom(selector: [UInt8], arguments: [UInt8])

    static let errorSelector = ABI.selector("Error(string)")
    static let panicSelector = ABI.selector("Panic(uint256)")

    /// `nil` for empty data (a revert without a reason) or data too short to hold a selector.
    public init?(data: [UInt8]) {
        guard data.count >= 4 else { return nil }
        let selector = Array(data.prefix(4)), arguments = Array(data.dropFirst(4))
        if selector == Self.errorSelector, let text = try? ABI.decode([.string], from: arguments).first?.asString() {
            self = .message(text)
        } else if selector == Self.panicSelector, let code = try? ABI.decode([.uint(256)], from: arguments).first?.asUInt128() {
            self = .panic(code)
        } else {
            self = .custom(selector: selector, arguments: arguments)
        }
    }

    public var description: String {
        switch self {
        case .message(let text): text
        case .panic(let code): "panic 0x\(String(code, radix: 16)) (an assertion, overflow or division by zero in the contract)"
        case .custom(let selector, _): "custom error 0x\(selector.hexString)"
        }
    }
}
