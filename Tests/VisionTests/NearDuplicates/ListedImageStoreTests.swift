import Foundation
import LightboxTestSupport
import Logging
import Persistence
import Testing
import Vision

/// Images of minted listings are kept in the database, and a dataset holding one of them, even rotated, is
/// caught by `duplicate.listed`.
@Suite("Listed images")
struct ListedImageStoreTests {
    @Test("a resold copy of a listed image is caught, also when rotated", arguments: Backend.allCases)
    func resold(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in try await resold(database) }
    }

    private func resold(_ database: any Database) async throws {
        let logger = Logger(label: "lightbox.tests.listed")
        try await Migrator(migrations: VisionMigrations.all).migrate(database, logger: logger)
        let original = TemporaryDirectory(), other = TemporaryDirectory()
        defer { original.remove(); other.remove() }
        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 3).generatedOffThePool(into: original.path)
        let first = try await DatasetChecker(concurrency: 1).check(root: original.path)
        #expect(first.report.passed)
        let images = zip(first.paths, first.summaries).compactMap { path, summary in summary?.pdq.map { (path: path, hash: $0.hash) } }
        let store = ListedImageStore(database: database)
        try await store.add(listing: "41", images: images, logger: logger)
        try await store.add(listing: "41", images: images, logger: logger)  // minting again changes nothing
        let index = try await store.index(logger: logger)
        #expect(index.count == images.count && Set(index.images.map(\.listing)) == ["41"])

        // Another seller's dataset, with one of listing 41's images rotated by 90° slipped in.
        _ = try await DatasetGenerator(format: .coco, imageCount: 16, seed: 4).generatedOffThePool(into: other.path)
        let stolenPath = images[5].path
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
