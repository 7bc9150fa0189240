/// Base58 with the Bitcoin alphabet, as CIDv0 and multibase `z` use it.
///
/// Base 58 does not align with bytes, so converting is a big-number multiplication, quadratic in the length: the
/// work is done on 32-bit limbs, five digits (58⁵ < 2³²) or three bytes at a time, and callers cap the length of
/// what they decode (``CID/maximumTextLength``), so a hostile string costs at most a few microseconds.
enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        // Big-number conversion from base 256 to base 58, most significant digit last.
        var digits = [UInt8]()
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.append(contentsOf: digits.reversed().map { alphabet[Int($0)] })
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it holds a character outside the alphabet.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let characters = Array(text.utf8)
        let zeros = characters.prefix { $0 == alphabet[0] }.count
        // Little-endian 32-bit limbs of the number so far; each step multiplies by 58^k and adds k digits.
        var limbs = [UInt32]()
        limbs.reserveCapacity(characters.count * 733 / 4000 + 1)
        var position = zeros
        while position < characters.count {
            let end = min(position + 5, characters.count)
            var group: UInt64 = 0
            var scale: UInt64 = 1
            for character in characters[position..<end] {
                let value = values[Int(character)]
                guard value >= 0 else { return nil }
                group = group * 58 + UInt64(value)
                scale *= 58
            }
            var carry = group
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * scale + carry
                limbs[index] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            while carry > 0 {
                limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
            position = end
        }
        var bytes = [UInt8](repeating: 0, count: zeros)
        bytes.reserveCapacity(zeros + limbs.count * 4)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if byte != 0 { started = true }
                if started { bytes.append(byte) }
            }
        }
        return bytes
    }
}
