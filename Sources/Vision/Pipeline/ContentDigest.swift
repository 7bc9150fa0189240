/// A 128-bit fingerprint for finding byte-identical files and pixel-identical images, within a dataset and
/// against listed ones (reports keep the pixels' fingerprint, so the algorithm is fixed: a test pins its output). For a
/// file's bytes it is the first half of their SHA-256, which the check computes anyway; for pixels it is a fast
/// non-cryptographic hash (four independent multiply–xorshift lanes over 8-byte words, so the processor runs
/// them side by side), where an adversary could make a collision — which would only hide a duplicate finding.
public struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    /// The fast fingerprint of `bytes` (used for decoded pixels).
    public init(_ bytes: [UInt8]) {
        var lanes = (
            0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count), 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count),
            0x1656_67B1_9E37_79F9 ^ UInt64(bytes.count), 0x85EB_CA77_C2B2_AE63 &+ UInt64(bytes.count))
        bytes.withUnsafeBytes { raw in
            let blocks = raw.count / 32
            for block in 0..<blocks {
                let at = block * 32
                lanes.0 = Self.mix(lanes.0 ^ raw.loadUnaligned(fromByteOffset: at, as: UInt64.self), 0xFF51_AFD7_ED55_8CCD)
                lanes.1 = Self.mix(lanes.1 &+ raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self), 0xC4CE_B9FE_1A85_EC53)
                lanes.2 = Self.mix(lanes.2 ^ raw.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self), 0x94D0_49BB_1331_11EB)
                lanes.3 = Self.mix(lanes.3 &+ raw.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self), 0xBF58_476D_1CE4_E5B9)
            }
            var tail: UInt64 = 0
            for offset in (blocks * 32)..<raw.count {
                tail = tail << 8 | UInt64(raw[offset])
                if offset % 8 == 7 || offset == raw.count - 1 {
                    lanes.0 = Self.mix(lanes.0 ^ tail, 0xFF51_AFD7_ED55_8CCD)
                    tail = 0
                }
            }
        }
        let a = Self.mix(lanes.0 ^ (lanes.2 >> 29), 0x94D0_49BB_1331_11EB)
        let b = Self.mix(lanes.1 ^ (lanes.3 >> 31), 0xBF58_476D_1CE4_E5B9)
        let c = Self.mix(lanes.2 ^ (lanes.1 >> 27), 0xFF51_AFD7_ED55_8CCD)
        let d = Self.mix(lanes.3 ^ (lanes.0 >> 33), 0xC4CE_B9FE_1A85_EC53)
        high = Self.mix(a ^ (b >> 29) ^ c, 0x94D0_49BB_1331_11EB)
        low = Self.mix(b ^ (a >> 31) ^ d, 0xBF58_476D_1CE4_E5B9)
    }

    /// The first 128 bits of a SHA-256 digest (used for a file's bytes).
    public init(sha256 digest: [UInt8]) {
        precondition(digest.count == 32, "a SHA-256 digest has 32 bytes")
        high = digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    @inline(__always)
    private static func mix(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
        var x = value &* multiplier
        x ^= x >> 32
        return x &* 0x2545_F491_4F6C_DD1D
    }

    public var description: String {
        String(high, radix: 16) + ":" + String(low, radix: 16)
    }

    /// The 128 bits as 32 hex digits, high word first (the form reports keep).
    public var hex: String {
        [high, low].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
