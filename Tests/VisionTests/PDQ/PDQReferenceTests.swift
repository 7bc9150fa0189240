import Foundation
import Testing
import Vision

/// PDQ against Meta's reference hashes (pdq/cpp, whole image, alpha dropped, palette expanded).
@Suite("PDQ reference vectors")
struct PDQReferenceTests {
    static let expected: [(file: String, hash: String, quality: Int)] = {
        let csv = String(decoding: (try? Fixtures.bytes("pdq/expected.csv")) ?? [], as: UTF8.self)
        return csv.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",").map(String.init)
            return (fields[2], fields[0], Int(fields[1]) ?? -1)
        }
    }()

    @Test("every reference image hashes bit-exactly, with the reference quality")
    func referenceImages() throws {
        #expect(Self.expected.count == 5)
        for (file, hash, quality) in Self.expected {
            let decoded = try ImageDecoder().decode(try Fixtures.bytes("pdq/\(file)"))
            let result = PDQHasher().hash(decoded.image)
            #expect(result.hash.description == hash, "\(file)")
            #expect(result.quality == quality, "\(file)")
        }
    }

    @Test("the dihedral variants of RGBA.png match the reference")
    func dihedral() throws {
        let decoded = try ImageDecoder().decode(try Fixtures.bytes("pdq/RGBA.png"))
        let result = PDQHasher().dihedralHashes(decoded.image)
        #expect(result.original.description == "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")
        #expect(result.rotate90.description == "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af")
        #expect(result.rotate180.description == "adad5a64b5a102e55b62a08856dacd5ae63b847fc337b4b766b319361bc93188")
        #expect(result.rotate270.description == "a5f0b457a49995e8c1065c275aaa54d8b61ba49df8fcfc0383c32f8b0bfc4f05")
        #expect(result.flipX.description == "f8f80f31e0f457b00637f5d5028f980fb36ed12a9622e1e233e64c634e9c64dd")
        #expect(result.flipY.description == "0dad2599b1a1bd1a5362576752da32a5e63b7380c2374b4866b346c91bc9ce77")
        #expect(result.flipPlus1.description == "f0a5e102f1ccc0bd945308720fff038de34ef1e8ada9a956d2967ade5ea91a50")
        #expect(result.flipMinus1.description == "a5f04ba8a4996a17c906a3d85aaaa927b61b5b42f8fc03fc87c3d0740bfcb0fa")
    }

    @Test("pen-and-coaster is 138 bits from the bridge, as Meta's Java test asserts")
    func distance() throws {
        let bridge = try #require(PDQHash(hex: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"))
        let pen = try #require(PDQHash(hex: "1f811b9d267fbc6693c0c7f30e041f9df49b836303e10f067fcdfc12c02d01f9"))
        #expect(bridge.distance(to: pen) == 138)
        #expect(bridge.description == "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")
        #expect(PDQHash(hex: "f8f8") == nil)
        #expect(PDQHash(hex: String(repeating: "g", count: 64)) == nil)
    }

    @Test("an image under 5 pixels on a side hashes to zero with quality 0")
    func tiny() {
        let result = PDQHasher().hash(PixelImage(width: 4, height: 100, colour: .grey, filledWith: 7))
        #expect(result.hash == .zero)
        #expect(result.quality == 0)
    }
}
