import Testing
import Vision

/// The multi-index near-duplicate index finds exactly what a linear scan finds.
@Suite("PDQ index")
struct PDQIndexTests {
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func flipped(_ hash: PDQHash, bits: Int, using random: inout Seeded) -> PDQHash {
        var out = hash
        for bit in (0..<256).shuffled(using: &random).prefix(bits) { out.words[bit / 64] ^= 1 << UInt64(bit % 64) }
        return out
    }

    @Test("matches equal a linear scan, at every distance up to 47, near and far queries alike")
    func equalsLinearScan() {
        var random = Seeded(state: 11)
        var hashes = (0..<3000).map { _ in PDQHash(words: SIMD4(random.next(), random.next(), random.next(), random.next())) }
        // Clusters of near-duplicates at known distances.
        for base in 0..<40 { for bits in [0, 5, 16, 17, 31, 32, 33, 47] { hashes.append(Self.flipped(hashes[base], bits: bits, using: &random)) } }
        let index = PDQIndex(hashes)
        for distance in [0, 1, 15, 16, 31, 32, 47] {
            for query in hashes.prefix(60) + [Self.flipped(hashes[3], bits: 20, using: &random)] {
                let expected = hashes.enumerated().filter { $0.element.distance(to: query) <= distance }
                    .map { PDQIndex.Match(position: $0.offset, distance: $0.element.distance(to: query)) }
                    .sorted { ($0.distance, $0.position) < ($1.distance, $1.position) }
                #expect(index.matches(of: query, within: distance) == expected, "distance \(distance)")
            }
        }
    }

    @Test("an image's rotated copy in a listing is found through the dihedral hashes")
    func listedRotation() throws {
        let decoded = try ImageDecoder().decode(try Fixtures.bytes("pdq/RGBA.png"))
        let variants = PDQHasher().dihedralHashes(decoded.image)
        // The listing holds the image rotated by 90°: its hash is the original's rot90 variant.
        let listed = ListedImageIndex([
            ListedImage(listing: "7", path: "a.png", hash: try #require(PDQHash(hex: String(repeating: "0f", count: 32)))),
            ListedImage(listing: "9", path: "bridge.png", hash: variants.rotate90),
        ])
        let plain = listed.nearest(to: [variants.original], within: 31)
        #expect(plain == nil || plain?.image.listing != "9")
        let match = try #require(listed.nearest(to: variants.all, within: 31))
        #expect(match.image.listing == "9" && match.distance == 0 && match.variant == 1)
    }
}
