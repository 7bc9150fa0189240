import Foundation
import LightboxTestSupport
import Testing
import Vision

/// A dataset holding an image already listed — rotated, byte for byte, or re-encoded and too flat for PDQ — is
/// caught by `duplicate.listed`, from the index built out of the listing's signed report.
@Suite("Listed images")
struct ListedImageIndexTests {
    /// Listing 41's index, built from its report as minting builds it, and the original dataset's outcome.
    static func listing41(_ original: TemporaryDirectory) async throws -> (ListedImageIndex, DatasetChecker.Outcome) {
        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 3).generatedOffThePool(into: original.path)
        let first = try await DatasetChecker(concurrency: 1).check(root: original.path)
        #expect(first.report.passed)
        let images = try DatasetReport.listedImages(reportJSON: first.report.canonicalJSON, listing: "41")
        #expect(images.count == 16 && images.allSatisfy { $0.sha256?.count == 64 && $0.pixels?.hasPrefix("320x240x3:") == true })
        return (ListedImageIndex(images), first)
    }

    @Test("a resold copy of a listed image is caught, also when rotated")
    func resold() async throws {
        let original = TemporaryDirectory(), other = TemporaryDirectory()
        defer { original.remove(); other.remove() }
        let (index, first) = try await Self.listing41(original)
        // Another seller's dataset, with one of listing 41's images rotated by 90° slipped in.
        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 4).generatedOffThePool(into: other.path)
        let stolenPath = first.paths[5]
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original.path + "/" + stolenPath)))
        let stolen = try ImageDecoder().decode(bytes).image
        try Data(try ImageEncoder.png(Self.rotated90(stolen))).write(to: URL(fileURLWithPath: other.path + "/images/train/resold.png"))
        let second = try await DatasetChecker(concurrency: 1, listed: index).check(root: other.path).report
        let listed = second.findings.filter { $0.check == .listedElsewhere }
        #expect(listed.map(\.item) == ["images/train/resold.png"])
        #expect(listed.first?.details["listing"] == "41" && listed.first?.details["listed_path"] == .string(stolenPath))
        #expect(listed.first?.message.contains("rotated") == true)
        #expect(!second.passed)
        // Without the index, nothing is flagged as listed.
        let unaware = try await DatasetChecker(concurrency: 1).check(root: other.path).report
        #expect(!unaware.findings.contains { $0.check == .listedElsewhere })
    }

    @Test("a flat listed image (too flat for PDQ) is caught by its bytes, and re-encoded by its pixels")
    func flatCopies() async throws {
        let original = TemporaryDirectory(), other = TemporaryDirectory()
        defer { original.remove(); other.remove() }
        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 3).generatedOffThePool(into: original.path)
        // A nearly uniform grey picture in listing 41: PDQ quality far below 50.
        var flat = PixelImage(width: 320, height: 240, colour: .rgb)
        for index in flat.pixels.indices { flat.pixels[index] = UInt8(120 + index % 2) }
        let flatPNG = try ImageEncoder.png(flat)
        try Data(flatPNG).write(to: URL(fileURLWithPath: original.path + "/images/train/flat.png"))
        let first = try await DatasetChecker(concurrency: 1).check(root: original.path)
        #expect(first.summaries.contains { ($0?.pdq?.quality ?? 100) < 50 })
        let index = ListedImageIndex(try DatasetReport.listedImages(reportJSON: first.report.canonicalJSON, listing: "41"))

        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 4).generatedOffThePool(into: other.path)
        try Data(flatPNG).write(to: URL(fileURLWithPath: other.path + "/images/train/copy.png"))
        try Data(try ImageEncoder.png(flat, compressionLevel: 1)).write(to: URL(fileURLWithPath: other.path + "/images/train/resaved.png"))
        let second = try await DatasetChecker(concurrency: 1, listed: index).check(root: other.path).report
        let listed = Dictionary(
            uniqueKeysWithValues: second.findings.filter { $0.check == .listedElsewhere }.map { ($0.item, $0) })
        #expect(listed["images/train/copy.png"]?.details["match"] == "bytes")
        #expect(listed["images/train/copy.png"]?.message.contains("byte-identical copy of images/train/flat.png") == true)
        #expect(listed["images/train/resaved.png"]?.details["match"] == "pixels")
        #expect(listed.count == 2)
    }

    @Test("the pixel fingerprint kept in reports is pinned: a change of algorithm would miss listed copies")
    func pinnedFingerprint() {
        #expect(ContentDigest(Array(0..<100)).hex == "df8057b1391006bfac5ee9b2665136d9")
        #expect(ContentDigest(Array(0..<64)).hex == "6805f47c22fe4b622c7b0b10487ffc0f")
    }

    /// The image turned a quarter clockwise.
    static func rotated90(_ image: PixelImage) -> PixelImage {
        var out = PixelImage(width: image.height, height: image.width, colour: image.colour)
        let channels = image.channels
        for y in 0..<image.height {
            for x in 0..<image.width {
                let target = (x * out.width + (image.height - 1 - y)) * channels
                let source = (y * image.width + x) * channels
                for channel in 0..<channels { out.pixels[target + channel] = image.pixels[source + channel] }
            }
        }
        return out
    }
}
