/// A 256-bit PDQ hash: bit `k = 16·i + j` is set when DCT coefficient (i, j) is above the median.
///
/// Stored as four 64-bit words (bit k in `words[k / 64]` at `k % 64`), so a Hamming distance is four popcounts.
/// The text form is Meta's: the sixteen 16-bit words from word 15 down to word 0, four hex digits each.
public struct PDQHash: Hashable, Sendable, CustomStringConvertible {
    public var words: SIMD4<UInt64>

    public init(words: SIMD4<UInt64>) {
        self.words = words
    }

    /// The all-zero hash: what PDQ gives an image smaller than 5 pixels on a side.
    public static let zero = PDQHash(words: .zero)

    /// Parses 64 hex digits.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var words = SIMD4<UInt64>.zero
        for word16 in 0..<16 {
            // Word 15 comes first in the text.
            let start = (15 - word16) * 4
            var value: UInt64 = 0
            for digit in digits[start..<start + 4] {
                guard let nibble = Self.nibble(digit) else { return nil }
                value = value << 4 | UInt64(nibble)
            }
            words[word16 / 4] |= value << UInt64((word16 % 4) * 16)
        }
        self.words = words
    }

    /// The 64 hex digits.
    public var description: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for word16 in (0..<16).reversed() {
            let value = UInt16(truncatingIfNeeded: words[word16 / 4] >> UInt64((word16 % 4) * 16))
            for shift in stride(from: 12, through: 0, by: -4) {
                text.append(alphabet[Int((value >> UInt16(shift)) & 0xF)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The number of bits in which two hashes differ.
    @inline(__always)
    public func distance(to other: PDQHash) -> Int {
        let difference = words ^ other.words
        return difference[0].nonzeroBitCount + difference[1].nonzeroBitCount + difference[2].nonzeroBitCount
            + difference[3].nonzeroBitCount
    }

    /// Whether bit k (0…255) is set.
    public func bit(_ k: Int) -> Bool { words[k / 64] >> UInt64(k % 64) & 1 == 1 }

    /// Meta's threshold for a confident match: distance ≤ 31 of 256 bits.
    public static let matchThreshold = 31

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
