/// A fast 128-bit fingerprint of bytes (two independent multiply–xorshift lanes over 8-byte words) for finding
/// byte-identical files and pixel-identical images within a dataset. Not cryptographic: an adversary could make a
/// collision, which would only hide a duplicate finding.
public struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(_ bytes: [UInt8]) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for index in 0..<words {
                let word = raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                a = Self.mix(a ^ word, 0xFF51_AFD7_ED55_8CCD)
                b = Self.mix(b &+ word, 0xC4CE_B9FE_1A85_EC53)
            }
            var tail: UInt64 = 0
            for offset in (words * 8)..<raw.count { tail = tail << 8 | UInt64(raw[offset]) }
            a = Self.mix(a ^ tail, 0xFF51_AFD7_ED55_8CCD)
            b = Self.mix(b &+ tail, 0xC4CE_B9FE_1A85_EC53)
        }
        high = Self.mix(a ^ (b >> 29), 0x94D0_49BB_1331_11EB)
        low = Self.mix(b ^ (a >> 31), 0xBF58_476D_1CE4_E5B9)
    }

    @inline(__always)
    private static func mix(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
        var x = value &* multiplier
        x ^= x >> 32
        return x &* 0x2545_F491_4F6C_DD1D
    }

    public var description: String {
        let digits = String(high, radix: 16) + ":" + String(low, radix: 16)
        return digits
    }
}
