import Foundation
import Testing
import Vision

@Suite("Public previews")
struct PreviewsTests {
    @Test("four JPEGs spread through the set, scaled to fit, none of an image a finding names")
    func previews() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var generator = DatasetGenerator(format: .coco, imageCount: 24, defects: [.dark, .outOfBounds, .blurry])
        generator.width = 320
        generator.height = 240
        _ = try await generator.generatedOffThePool(into: directory.path)
        let outcome = try await DatasetChecker(concurrency: 1).check(root: directory.path)
        let named = Set(outcome.report.findings.flatMap { finding -> [String] in
            if case .string(let image)? = finding.details["image"] { return [finding.item, image] }
            return [finding.item]
        })
        #expect(!named.isEmpty)

        let previews = Previews.make(outcome: outcome, root: directory.path, count: 4, size: 128)
        #expect(previews.count == 4 && Set(previews.map(\.path)).count == 4)
        #expect(previews.allSatisfy { !named.contains($0.path) }, "\(previews.map(\.path)) against \(named)")
        let sorted = outcome.paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let positions = previews.map { sorted.firstIndex(of: $0.path)! }
        #expect(positions == positions.sorted() && positions.last! - positions.first! >= sorted.count / 2, "spread: \(positions)")
        for preview in previews {
            let image = try ImageDecoder().decode(preview.jpeg).image
            #expect(image.width == 128 && image.height == 96)
        }
        #expect(Previews.make(outcome: outcome, root: directory.path, count: 0).isEmpty)
    }
}
