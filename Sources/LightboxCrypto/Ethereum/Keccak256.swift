/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS 202 SHA3-256 (0x06).
public enum Keccak256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var state = [UInt64](repeating: 0, count: 25)
        let rate = 136
        var block = [UInt8](repeating: 0, count: rate)
        var filled = 0
        for byte in bytes {
            block[filled] = byte
            filled += 1
            if filled == rate {
                absorb(block, into: &state)
                filled = 0
            }
        }
        for index in filled..<rate { block[index] = 0 }
        block[filled] ^= 0x01
        block[rate - 1] ^= 0x80
        absorb(block, into: &state)
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for lane in state.prefix(4) {
            for shift in stride(from: 0, to: 64, by: 8) { digest.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift))) }
        }
        return digest
    }

    private static func absorb(_ block: [UInt8], into state: inout [UInt64]) {
        for lane in 0..<(block.count / 8) {
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(block[lane * 8 + byte]) << UInt64(8 * byte) }
            state[lane] ^= value
        }
        permute(&state)
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808a, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808b, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008a, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000a,
        0x0000_0000_8000_808b, 0x8000_0000_0000_008b, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800a, 0x8000_0000_8000_000a,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        count == 0 ? value : (value << count) | (value >> (64 - count))
    }

    /// Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι, on the 25 lanes held in locals (the steps written out, lane by
    /// lane, from the definition: θ's column parities, ρ's rotation of lane (x, y) moved by π to (y, 2x + 3y), χ
    /// along each row, ι's round constant).
    private static func permute(_ state: inout [UInt64]) {
        precondition(state.count == 25)
        state.withUnsafeMutableBufferPointer { s in
            var a0 = s[0]; var a1 = s[1]; var a2 = s[2]; var a3 = s[3]; var a4 = s[4]
            var a5 = s[5]; var a6 = s[6]; var a7 = s[7]; var a8 = s[8]; var a9 = s[9]
            var a10 = s[10]; var a11 = s[11]; var a12 = s[12]; var a13 = s[13]; var a14 = s[14]
            var a15 = s[15]; var a16 = s[16]; var a17 = s[17]; var a18 = s[18]; var a19 = s[19]
            var a20 = s[20]; var a21 = s[21]; var a22 = s[22]; var a23 = s[23]; var a24 = s[24]
            for round in 0..<24 {
                let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                let d0 = c4 ^ rotate(c1, 1)
                let d1 = c0 ^ rotate(c2, 1)
                let d2 = c1 ^ rotate(c3, 1)
                let d3 = c2 ^ rotate(c4, 1)
                let d4 = c3 ^ rotate(c0, 1)
                a0 ^= d0; a5 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0
                a1 ^= d1; a6 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1
                a2 ^= d2; a7 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2
                a3 ^= d3; a8 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3
                a4 ^= d4; a9 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4
                let b0 = a0
                let b1 = rotate(a6, 44)
                let b2 = rotate(a12, 43)
                let b3 = rotate(a18, 21)
                let b4 = rotate(a24, 14)
                let b5 = rotate(a3, 28)
                let b6 = rotate(a9, 20)
                let b7 = rotate(a10, 3)
                let b8 = rotate(a16, 45)
                let b9 = rotate(a22, 61)
                let b10 = rotate(a1, 1)
                let b11 = rotate(a7, 6)
                let b12 = rotate(a13, 25)
                let b13 = rotate(a19, 8)
                let b14 = rotate(a20, 18)
                let b15 = rotate(a4, 27)
                let b16 = rotate(a5, 36)
                let b17 = rotate(a11, 10)
                let b18 = rotate(a17, 15)
                let b19 = rotate(a23, 56)
                let b20 = rotate(a2, 62)
                let b21 = rotate(a8, 55)
                let b22 = rotate(a14, 39)
                let b23 = rotate(a15, 41)
                let b24 = rotate(a21, 2)
                a0 = b0 ^ (~b1 & b2)
                a1 = b1 ^ (~b2 & b3)
                a2 = b2 ^ (~b3 & b4)
                a3 = b3 ^ (~b4 & b0)
                a4 = b4 ^ (~b0 & b1)
                a5 = b5 ^ (~b6 & b7)
                a6 = b6 ^ (~b7 & b8)
                a7 = b7 ^ (~b8 & b9)
                a8 = b8 ^ (~b9 & b5)
                a9 = b9 ^ (~b5 & b6)
                a10 = b10 ^ (~b11 & b12)
                a11 = b11 ^ (~b12 & b13)
                a12 = b12 ^ (~b13 & b14)
                a13 = b13 ^ (~b14 & b10)
                a14 = b14 ^ (~b10 & b11)
                a15 = b15 ^ (~b16 & b17)
                a16 = b16 ^ (~b17 & b18)
                a17 = b17 ^ (~b18 & b19)
                a18 = b18 ^ (~b19 & b15)
                a19 = b19 ^ (~b15 & b16)
                a20 = b20 ^ (~b21 & b22)
                a21 = b21 ^ (~b22 & b23)
                a22 = b22 ^ (~b23 & b24)
                a23 = b23 ^ (~b24 & b20)
                a24 = b24 ^ (~b20 & b21)
                a0 ^= roundConstants[round]
            }
            s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4
            s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9
            s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14
            s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19
            s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24
        }
    }
}
