public import LightboxCrypto

/// An amount of the ledger's token: an exact integer in its smallest unit, with 18 decimals (1 token = 10¹⁸
/// units, as 1 ether = 10¹⁸ wei). Never floating point. 128 bits hold 3.4 × 10²⁰ whole tokens.
public struct TokenAmount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public static let decimals = 18
    public static let unitsPerToken: UInt128 = 1_000_000_000_000_000_000
    public static let zero = TokenAmount(units: 0)

    public var units: UInt128

    public init(units: UInt128) { self.units = units }
    public init(integerLiteral units: UInt64) { self.units = UInt128(units) }

    /// Whole tokens.
    public static func tokens(_ count: UInt64) -> TokenAmount { TokenAmount(units: UInt128(count) * unitsPerToken) }

    /// Parses units written in decimal ("1500000000000000000").
    /// - Throws: ``LedgerError`` `.invalidArgument` for anything else or a value over 128 bits.
    public init(units text: String) throws(LedgerError) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let units = UInt128(text) else {
            throw LedgerError(.invalidArgument, "'\(text.prefix(60))' is not an amount in token units (a decimal integer below 2¹²⁸)")
        }
        self.units = units
    }

    /// Parses tokens written with up to 18 decimals ("1.5", "20", "0.000000000000000001").
    /// - Throws: ``LedgerError`` `.invalidArgument` naming what is wrong.
    public init(tokens text: String) throws(LedgerError) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty, fraction.count <= Self.decimals,
              (whole + fraction).utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else {
            throw LedgerError(.invalidArgument, "'\(text.prefix(60))' is not an amount of tokens (digits, at most 18 after the point)")
        }
        let padded = fraction + String(repeating: "0", count: Self.decimals - fraction.count)
        guard let units = UInt128((whole.isEmpty ? "0" : whole) + padded) else {
            throw LedgerError(.invalidArgument, "\(text.prefix(60)) tokens is more than the ledger can count")
        }
        self.units = units
    }

    /// Units in decimal: the exact value.
    public var description: String { String(units) }

    /// Whole tokens with the fraction, trailing zeros dropped ("1.5", "20").
    public var tokenString: String {
        let whole = units / Self.unitsPerToken
        let fraction = units % Self.unitsPerToken
        guard fraction > 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: Self.decimals - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.units < rhs.units }

    /// The sum, or nil when it would overflow.
    public func adding(_ other: TokenAmount) -> TokenAmount? {
        let (sum, overflow) = units.addingReportingOverflow(other.units)
        return overflow ? nil : TokenAmount(units: sum)
    }

    /// The share `basisPoints` / 10 000 of this amount, rounded down.
    public func share(_ basisPoints: BasisPoints) -> TokenAmount {
        // Split first so the product cannot overflow: a·b/10⁴ = (a/10⁴)·b + (a mod 10⁴)·b/10⁴.
        let bps = UInt128(basisPoints.value)
        return TokenAmount(units: (units / 10_000) * bps + (units % 10_000) * bps / 10_000)
    }

    public static func + (lhs: Self, rhs: Self) -> Self { TokenAmount(units: lhs.units + rhs.units) }
    public static func - (lhs: Self, rhs: Self) -> Self { TokenAmount(units: lhs.units - rhs.units) }

    /// The EIP-712 `uint256` value.
    public var eip712: EIP712.Value {
        .word(ABI.word(units))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try TokenAmount(units: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A share in basis points: 0 to 10 000 (100 %).
public struct BasisPoints: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let whole = BasisPoints(unchecked: 10_000)
    public let value: UInt16

    /// - Throws: ``LedgerError`` `.invalidArgument` above 10 000.
    public init(_ value: UInt64) throws(LedgerError) {
        guard value <= 10_000 else {
            throw LedgerError(.invalidArgument, "\(value) basis points is more than 100 % (10000)")
        }
        self.value = UInt16(value)
    }

    init(unchecked value: UInt16) { self.value = value }

    public var description: String { String(value) }

    public init(from decoder: any Decoder) throws {
        self = try BasisPoints(try decoder.singleValueContainer().decode(UInt64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
