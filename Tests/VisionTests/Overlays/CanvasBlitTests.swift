import Testing
import Vision

@Suite struct CanvasBlitTests {
    @Test func downscaledCheckerGivesTheAverageGrey() {
        let checker = PixelImage(width: 2, height: 2, colour: .grey, pixels: [0, 255, 255, 0])
        var canvas = Canvas(width: 1, height: 1)
        let placed = canvas.blit(checker, fittingInto: CanvasRect(x: 0, y: 0, width: 1, height: 1))
        #expect(placed == CanvasRect(x: 0, y: 0, width: 1, height: 1))
        let grey = canvas.colour(atX: 0, y: 0)
        #expect(grey == RGBColour(grey: 128) || grey == RGBColour(grey: 127))

        let rgbChecker = PixelImage(
            width: 2, height: 2, colour: .rgb, pixels: [255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0])
        canvas.blit(rgbChecker, fittingInto: CanvasRect(x: 0, y: 0, width: 1, height: 1))
        let purple = canvas.colour(atX: 0, y: 0)
        #expect(purple.map { [$0.red, $0.green, $0.blue] } == [128, 0, 128])
    }

    @Test func shrinkingByAFractionWeighsPartlyCoveredPixels() {
        // Three pixels into two: each output covers one and a half inputs.
        let row = PixelImage(width: 3, height: 1, colour: .grey, pixels: [0, 90, 180])
        var canvas = Canvas(width: 2, height: 1)
        canvas.blit(row, fittingInto: CanvasRect(x: 0, y: 0, width: 2, height: 1))
        #expect(canvas.colour(atX: 0, y: 0) == RGBColour(grey: 30))
        #expect(canvas.colour(atX: 1, y: 0) == RGBColour(grey: 150))
    }

    @Test func shrinkingManyRowsIntoOneAveragesThemAll() {
        // 100 rows into 2: fifty source rows per canvas row.
        let pixels = (0..<100).flatMap { row in [UInt8](repeating: row < 50 ? 10 : 200, count: 2) }
        let tall = PixelImage(width: 2, height: 100, colour: .grey, pixels: pixels)
        var canvas = Canvas(width: 1, height: 2)
        let placed = canvas.blit(tall, fittingInto: CanvasRect(x: 0, y: 0, width: 1, height: 2))
        #expect(placed == CanvasRect(x: 0, y: 0, width: 1, height: 2))
        #expect(canvas.colour(atX: 0, y: 0) == RGBColour(grey: 10))
        #expect(canvas.colour(atX: 0, y: 1) == RGBColour(grey: 200))

        // 3000 rows of a ramp into 10: each canvas row the mean of its 300 source rows.
        let ramp = PixelImage(width: 1, height: 3000, colour: .grey, pixels: (0..<3000).map { UInt8($0 / 12) })
        var column = Canvas(width: 1, height: 10)
        column.blit(ramp, fittingInto: CanvasRect(x: 0, y: 0, width: 1, height: 10))
        for row in 0..<10 {
            let mean = Double((row * 300..<(row + 1) * 300).reduce(0) { $0 + $1 / 12 }) / 300
            let value = Double(column.colour(atX: 0, y: row)?.red ?? 0)
            #expect(abs(value - mean) <= 0.5 + 1e-9, "row \(row): \(value) against \(mean)")
        }
    }

    @Test func moderateShrinkingStaysCloseToTheExactMean() {
        // 8-bit vertical weights: a 7 → 1 shrink of arbitrary values within one level of the exact area mean.
        var state: UInt32 = 7
        let values = (0..<(7 * 7)).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let image = PixelImage(width: 7, height: 7, colour: .grey, pixels: values)
        var canvas = Canvas(width: 1, height: 1)
        canvas.blit(image, fittingInto: CanvasRect(x: 0, y: 0, width: 1, height: 1))
        let mean = Double(values.reduce(0) { $0 + Int($1) }) / 49
        #expect(abs(Double(canvas.colour(atX: 0, y: 0)?.red ?? 0) - mean) <= 1)
    }

    @Test func flatImagesStayFlatAtAnyRatio() {
        let flat = PixelImage(width: 97, height: 61, colour: .rgb, filledWith: 201)
        for size in [1, 7, 13, 50, 96] {
            var canvas = Canvas(width: size, height: size)
            guard let placed = canvas.blit(flat, fittingInto: CanvasRect(x: 0, y: 0, width: size, height: size))
            else {
                Issue.record("nothing placed at \(size)")
                continue
            }
            let x = Int(placed.x + placed.width / 2)
            let y = Int(placed.y + placed.height / 2)
            #expect(canvas.colour(atX: x, y: y) == RGBColour(grey: 201), "size \(size)")
        }
    }

    @Test func aspectRatioIsKeptAndTheImageCentred() {
        let image = PixelImage(width: 640, height: 480, colour: .rgb, filledWith: 255)
        var canvas = Canvas(width: 300, height: 300)
        let placed = canvas.blit(image, fittingInto: CanvasRect(x: 10, y: 10, width: 256, height: 256))
        #expect(placed == CanvasRect(x: 10, y: 42, width: 256, height: 192))
        #expect(canvas.colour(atX: 10, y: 42) == .white)
        #expect(canvas.colour(atX: 265, y: 233) == .white)
        #expect(canvas.colour(atX: 10, y: 41) == .black)
        #expect(canvas.colour(atX: 265, y: 234) == .black)
    }

    @Test func enlargingRepeatsNearestPixels() {
        let image = PixelImage(width: 2, height: 2, colour: .grey, pixels: [0, 100, 200, 255])
        var canvas = Canvas(width: 4, height: 4)
        canvas.blit(image, fittingInto: CanvasRect(x: 0, y: 0, width: 4, height: 4))
        let expected: [[UInt8]] = [[0, 0, 100, 100], [0, 0, 100, 100], [200, 200, 255, 255], [200, 200, 255, 255]]
        for y in 0..<4 {
            for x in 0..<4 {
                #expect(canvas.colour(atX: x, y: y) == RGBColour(grey: expected[y][x]), "(\(x), \(y))")
            }
        }
    }

    @Test func sameSizeCopiesExactly() {
        var pixels: [UInt8] = []
        for i in 0..<(5 * 3 * 3) { pixels.append(UInt8(i * 5)) }
        let image = PixelImage(width: 5, height: 3, colour: .rgb, pixels: pixels)
        var canvas = Canvas(width: 5, height: 3)
        canvas.blit(image, fittingInto: CanvasRect(x: 0, y: 0, width: 5, height: 3))
        #expect(canvas.image == image)
    }

    @Test func blitIsClippedToTheCanvas() {
        let image = PixelImage(width: 8, height: 8, colour: .grey, filledWith: 255)
        var canvas = Canvas(width: 6, height: 6)
        let placed = canvas.blit(image, fittingInto: CanvasRect(x: -4, y: 3, width: 8, height: 8))
        #expect(placed == CanvasRect(x: -4, y: 3, width: 8, height: 8))
        for y in 0..<6 {
            for x in 0..<6 {
                #expect((canvas.colour(atX: x, y: y) == .white) == (x < 4 && y >= 3), "(\(x), \(y))")
            }
        }
        var huge = Canvas(width: 6, height: 6)
        let far = huge.blit(image, fittingInto: CanvasRect(x: -1e13, y: -1e13, width: 2e13, height: 2e13))
        #expect(far != nil)
        #expect(huge.colour(atX: 3, y: 3) == .white)
    }

    @Test func emptyImagesAndNonFiniteTargetsDrawNothing() {
        var canvas = Canvas(width: 4, height: 4)
        let empty = PixelImage(width: 0, height: 3, colour: .rgb)
        #expect(canvas.blit(empty, fittingInto: CanvasRect(x: 0, y: 0, width: 4, height: 4)) == nil)
        let image = PixelImage(width: 2, height: 2, colour: .grey, filledWith: 9)
        #expect(canvas.blit(image, fittingInto: CanvasRect(x: .nan, y: 0, width: 4, height: 4)) == nil)
        #expect(canvas == Canvas(width: 4, height: 4))
    }
}
