import Foundation
import Testing
import Vision

/// Vectors pycocotools computed (`Fixtures/make_pycocotools_vectors.py` writes `Fixtures/pycocotools_vectors.json`).
@Suite("pycocotools as the oracle")
struct PycocotoolsOracleTests {
    struct Vectors: Decodable {
        struct Mask: Decodable {
            var height: Int
            var width: Int
            var counts: [Int]
            var string: String
            var area: Int
            var bbox: [Double]
        }
        struct Polygon: Decodable {
            var height: Int
            var width: Int
            var polygons: [[Double]]
            var string: String
            var area: Int
            var bbox: [Double]
        }
        var masks: [Mask]
        var oddCounts: [Mask]
        var polygons: [Polygon]
    }

    static let vectors: Vectors? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pycocotools_vectors.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Vectors.self, from: data)
    }()

    @Test("compressed strings, areas and boxes of masks")
    func masks() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.masks.count >= 30)
        for vector in vectors.masks {
            let mask = RunLengthMask(
                height: vector.height, width: vector.width, counts: vector.counts, wasCompressed: false)
            #expect(mask.compressedCounts == vector.string)
            #expect(RunLengthMask.decodeCounts(vector.string) == vector.counts)
            #expect(mask.area == vector.area)
            #expect(mask.boundingBox == vector.bbox, "counts \(vector.counts)")
            #expect(mask.hasConsistentSize)
        }
    }

    @Test("odd counts lists: strings and areas, and boxes wherever a pixel is set")
    func oddCounts() throws {
        let vectors = try #require(Self.vectors)
        for vector in vectors.oddCounts {
            let mask = RunLengthMask(
                height: vector.height, width: vector.width, counts: vector.counts, wasCompressed: false)
            #expect(mask.compressedCounts == vector.string)
            #expect(mask.area == vector.area)
            // pycocotools wraps to 2^32 − n when a mask has runs but no set pixel; this gives zeros.
            #expect(mask.boundingBox == (vector.area == 0 ? [0, 0, 0, 0] : vector.bbox), "counts \(vector.counts)")
        }
    }

    @Test("polygons rasterise to pycocotools' runs, area and box")
    func polygons() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.polygons.count >= 25)
        for vector in vectors.polygons {
            let mask = try #require(Polygons.rasterise(vector.polygons, height: vector.height, width: vector.width))
            #expect(mask.compressedCounts == vector.string, "polygons \(vector.polygons)")
            #expect(mask.area == vector.area)
            #expect(mask.boundingBox == vector.bbox)
        }
    }
}
