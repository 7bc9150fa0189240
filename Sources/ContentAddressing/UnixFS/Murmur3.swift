/// MurmurHash3 x64, the first 64-bit half of the 128-bit hash with seed 0: the hash UnixFS HAMT shards use
/// (multicodec murmur3-x64-64, 0x22), as Go's `spaolacci/murmur3.New64()` computes it.
enum Murmur3 {
    /// The 8-byte digest, big-endian, as HAMT buckets read it.
    static func digest64(_ bytes: [UInt8]) -> [UInt8] {
        let value = hash64(bytes)
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }

    static func hash64(_ bytes: [UInt8]) -> UInt64 {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5
        let c2: UInt64 = 0x4cf5_ad43_2745_937f
        var h1: UInt64 = 0
        var h2: UInt64 = 0
        let blockCount = bytes.count / 16

        func word(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }

        for block in 0..<blockCount {
            var k1 = word(block * 16)
            var k2 = word(block * 16 + 8)
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }

        let tail = bytes[(blockCount * 16)...]
        var k1: UInt64 = 0
        var k2: UInt64 = 0
        for (index, byte) in tail.enumerated() {
            if index < 8 { k1 |= UInt64(byte) << (8 * UInt64(index)) } else { k2 |= UInt64(byte) << (8 * UInt64(index - 8)) }
        }
        if tail.count > 8 { k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2 }
        if !tail.isEmpty { k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1 }

        let length = UInt64(bytes.count)
        h1 ^= length
        h2 ^= length
        h1 &+= h2
        h2 &+= h1
        h1 = fmix(h1)
        h2 = fmix(h2)
        h1 &+= h2
        return h1
    }

    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    private static func fmix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}
