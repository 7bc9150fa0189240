import Foundation
import Testing
import Vision

@Suite("COCO run-length masks")
struct RunLengthMaskTests {
    @Test("compressed strings worked out by hand encode and decode")
    func handVectors() {
        // 5-bit groups + 48, 0x20 = more follows, 0x10 in the last group = negative, deltas from the fourth count.
        let vectors: [([Int], String)] = [
            ([0], "0"),
            ([5, 3, 2], "532"),
            ([5, 3, 2, 4], "5321"),  // 4 - 3 = 1
            ([1, 10, 1, 2], "1:1H"),  // 2 - 10 = -8: 24 (sign bit set) + 48 = "H"
            ([100], "T3"),  // 100 = 4 + 3·32: 4|0x20 + 48 = "T", then "3"
            ([0, 16], "0`0"),  // 16 has the sign bit in its first group, so a second group follows
        ]
        for (counts, string) in vectors {
            #expect(RunLengthMask.encodeCounts(counts) == string)
            #expect(RunLengthMask.decodeCounts(string) == counts)
        }
    }

    @Test("malformed compressed strings decode to nil")
    func malformedStrings() {
        #expect(RunLengthMask.decodeCounts("T") == nil)  // ends inside a count
        #expect(RunLengthMask.decodeCounts("5 3") == nil)  // a space is below "0"
        #expect(RunLengthMask.decodeCounts("5p") == nil)  // "p" is above "o"
        #expect(RunLengthMask.decodeCounts("H") == nil)  // -8: a negative count
        #expect(RunLengthMask.decodeCounts("") == [])
        // Huge counts whose running sums would overflow a 64-bit integer are refused, not trapped on.
        #expect(RunLengthMask.decodeCounts("000" + String(repeating: "ooooooooooo?", count: 40)) == nil)
        #expect(RunLengthMask.decodeCounts("oooooo?") == nil)  // one count above 2³² − 1
        #expect(RunLengthMask(height: 2, width: 2, compressedCounts: "T") == nil)
    }

    @Test("area, box and pixel count by hand")
    func areaAndBox() {
        let single = RunLengthMask(height: 3, width: 3, counts: [4, 1, 4], wasCompressed: false)
        #expect(single.area == 1)
        #expect(single.boundingBox == [1, 1, 1, 1])
        #expect(single.hasConsistentSize)
        let crossing = RunLengthMask(height: 3, width: 3, counts: [2, 2, 5], wasCompressed: false)
        #expect(crossing.area == 2)
        #expect(crossing.boundingBox == [0, 0, 2, 3])  // the run crosses from column 0 to 1: full height
        let empty = RunLengthMask(height: 3, width: 3, counts: [9], wasCompressed: false)
        #expect(empty.area == 0 && empty.boundingBox == [0, 0, 0, 0])
        let short = RunLengthMask(height: 3, width: 3, counts: [4, 1], wasCompressed: false)
        #expect(short.decodedPixelCount == 5)
        #expect(!short.hasConsistentSize)
        let finding = short.sizeFinding(at: SourceLocation(file: "a.json", line: 7))
        #expect(finding?.check == .malformedAnnotation && finding?.item == "a.json:7")
        #expect(single.sizeFinding(at: SourceLocation(file: "a.json")) == nil)
    }

    @Test("hostile sizes give nil or zeros, never a crash or a huge allocation")
    func hostileSizes() {
        let huge = RunLengthMask(height: 1 << 32, width: 1, counts: [0, 1 << 32], wasCompressed: false)
        #expect(huge.boundingBox == [0, 0, 0, 0])
        #expect(huge.columnMajorPixels() == nil)
        let overflow = RunLengthMask(height: Int.max, width: 3, counts: [Int.max, Int.max], wasCompressed: false)
        #expect(!overflow.hasConsistentSize && overflow.decodedPixelCount == Int.max)
        #expect(Polygons.rasterise([[0, 0, 1e8, 0, 1e8, 1e8]], height: 10, width: 10) == nil)
        #expect(Polygons.rasterise([[0, 0, 1e300, 0, 5, 5]], height: 10, width: 10) == nil)
    }

    @Test("pixels encode to runs and decode back")
    func pixelsRoundTrip() {
        let pixels: [UInt8] = [0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1]
        let mask = RunLengthMask(height: 3, width: 4, columnMajorPixels: pixels)
        #expect(mask.counts == [2, 3, 1, 1, 3, 2])
        #expect(mask.columnMajorPixels() == pixels)
        #expect(RunLengthMask(height: 1, width: 2, columnMajorPixels: [1, 1]).counts == [0, 2])
    }

    @Test("union merges runs as pycocotools rleMerge does")
    func union() throws {
        let a = RunLengthMask(height: 2, width: 3, columnMajorPixels: [1, 1, 0, 0, 0, 0])
        let b = RunLengthMask(height: 2, width: 3, columnMajorPixels: [0, 1, 1, 0, 0, 1])
        let merged = try #require(RunLengthMask.union([a, b]))
        #expect(merged.columnMajorPixels() == [1, 1, 1, 0, 0, 1])
        #expect(merged.counts == [0, 3, 2, 1])
        let other = RunLengthMask(height: 3, width: 2, columnMajorPixels: [1, 1, 0, 0, 0, 0])
        #expect(RunLengthMask.union([a, other]) == nil)
    }
}

@Suite("COCO polygons")
struct PolygonTests {
    @Test("shoelace area and bounds")
    func areaAndBounds() {
        #expect(Polygons.area([0, 0, 4, 0, 4, 3, 0, 3]) == 12)
        #expect(Polygons.area([0, 0, 0, 3, 4, 0]) == 6)  // clockwise too
        #expect(Polygons.area([0, 0, 4, 0]) == 0)
        #expect(Polygons.area([[0, 0, 4, 0, 4, 3, 0, 3], [0, 0, 0, 3, 4, 0]]) == 18)
        #expect(Polygons.bounds([[1, 2, 5, 2, 5, 9], [0, 4, 2, 4, 2, 5]]) == [0, 2, 5, 7])
        #expect(Polygons.bounds([[]]) == nil)
    }

    @Test("rasterising sets the pixels whose centres are inside")
    func rasterise() throws {
        let mask = try #require(Polygons.rasterise([[2.5, 2.5, 7.5, 2.5, 7.5, 7.5, 2.5, 7.5]], height: 10, width: 12))
        #expect(mask.area == 25)
        #expect(mask.boundingBox == [3, 3, 5, 5])
        #expect(mask.hasConsistentSize)
        #expect(
            Segmentation.polygons([[2.5, 2.5, 7.5, 2.5, 7.5, 7.5, 2.5, 7.5]]).pixelArea(imageHeight: 10, imageWidth: 12)
                == 25)
        #expect(Polygons.rasterise([[1, 1, 3, 3, 1, 3]], height: 0, width: 4) == nil)
        #expect(Polygons.rasterise([[1, .nan, 3, 3, 1, 3]], height: 4, width: 4) == nil)
    }
}
