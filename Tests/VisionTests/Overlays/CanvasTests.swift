import Testing
import Vision

@Suite struct CanvasTests {
    private static let red = RGBColour(red: 255, green: 0, blue: 0)
    private static let blue = RGBColour(red: 0, green: 0, blue: 255)

    /// The coordinates of every pixel of `colour`.
    private static func pixels(of colour: RGBColour, in canvas: Canvas) -> [(x: Int, y: Int)] {
        var found: [(x: Int, y: Int)] = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas.colour(atX: x, y: y) == colour {
                found.append((x, y))
            }
        }
        return found
    }

    @Test func newCanvasIsOneColourAndReadsNothingOutside() {
        let canvas = Canvas(width: 4, height: 3, background: Self.blue)
        #expect(canvas.image.colour == .rgb)
        #expect(canvas.image.pixels.count == 36)
        #expect(Self.pixels(of: Self.blue, in: canvas).count == 12)
        #expect(canvas.colour(atX: 4, y: 0) == nil)
        #expect(canvas.colour(atX: 0, y: -1) == nil)
        #expect(Canvas(width: -3, height: 5).image.pixels.isEmpty)
    }

    @Test func greyImageBecomesRGB() {
        let canvas = Canvas(PixelImage(width: 2, height: 1, colour: .grey, pixels: [10, 200]))
        #expect(canvas.image.colour == .rgb)
        #expect(canvas.colour(atX: 0, y: 0) == RGBColour(grey: 10))
        #expect(canvas.colour(atX: 1, y: 0) == RGBColour(grey: 200))
    }

    @Test func fillCoversTheRectangleAndIsClipped() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.fill(CanvasRect(x: 2, y: 3, width: 4, height: 2), with: Self.red)
        let filled = Self.pixels(of: Self.red, in: canvas)
        #expect(filled.count == 8)
        #expect(filled.allSatisfy { (2..<6).contains($0.x) && (3..<5).contains($0.y) })

        canvas.fill(CanvasRect(x: -5, y: 8, width: 7, height: 100), with: Self.blue)
        #expect(Self.pixels(of: Self.blue, in: canvas).count == 4)  // columns 0–1, rows 8–9
    }

    @Test func strokedRectangleHasItsBorderInTheColourAndNotItsInterior() {
        var canvas = Canvas(width: 40, height: 30)
        canvas.stroke(CanvasRect(x: 10, y: 5, width: 20, height: 15), with: Self.red, thickness: 2)
        // Columns 10…29, rows 5…19; the outline is 2 pixels wide inside those.
        for (x, y) in [(10, 5), (29, 5), (10, 19), (29, 19), (11, 12), (28, 12), (20, 6), (20, 18)] {
            #expect(canvas.colour(atX: x, y: y) == Self.red, "(\(x), \(y))")
        }
        for (x, y) in [(12, 7), (27, 17), (20, 12), (9, 5), (30, 5), (10, 4), (10, 20)] {
            #expect(canvas.colour(atX: x, y: y) == .black, "(\(x), \(y))")
        }
        #expect(Self.pixels(of: Self.red, in: canvas).count == 20 * 15 - 16 * 11)
    }

    @Test func strokeRoundsEdgesAndKeepsDegenerateBoxesVisible() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.stroke(CanvasRect(x: 2.4, y: 2.6, width: 5.2, height: 4), with: Self.red)
        // x 2.4…7.6 → columns 2…7; y 2.6…6.6 → rows 3…6.
        #expect(canvas.colour(atX: 2, y: 3) == Self.red)
        #expect(canvas.colour(atX: 7, y: 6) == Self.red)
        #expect(canvas.colour(atX: 8, y: 6) == .black)
        #expect(canvas.colour(atX: 2, y: 2) == .black)

        var degenerate = Canvas(width: 20, height: 20)
        degenerate.stroke(CanvasRect(x: 5, y: 5, width: 0, height: 0), with: Self.red)
        #expect(Self.pixels(of: Self.red, in: degenerate).map { [$0.x, $0.y] } == [[5, 5]])

        var negative = Canvas(width: 20, height: 20)
        negative.stroke(CanvasRect(x: 10, y: 10, width: -4, height: -4), with: Self.red)
        #expect(negative.colour(atX: 6, y: 6) == Self.red)
        #expect(negative.colour(atX: 9, y: 9) == Self.red)
        #expect(negative.colour(atX: 10, y: 10) == .black)
    }

    @Test func smallBoxesWithThickOutlinesAreFilled() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.stroke(CanvasRect(x: 1, y: 1, width: 4, height: 3), with: Self.red, thickness: 2)
        #expect(Self.pixels(of: Self.red, in: canvas).count == 12)
    }

    @Test func boxesPartlyOutsideAreClipped() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.stroke(CanvasRect(x: -10, y: 15, width: 20, height: 30), with: Self.red)
        // Left and bottom edges are off the canvas; the top edge (row 15, columns 0…9) and right edge (column 9).
        for x in 0..<10 { #expect(canvas.colour(atX: x, y: 15) == Self.red) }
        for y in 15..<20 { #expect(canvas.colour(atX: 9, y: y) == Self.red) }
        #expect(canvas.colour(atX: 5, y: 17) == .black)
        #expect(Self.pixels(of: Self.red, in: canvas).count == 10 + 4)
    }

    @Test func boxesWhollyOutsideHugeOrNonFiniteDrawNothing() {
        let blank = Canvas(width: 20, height: 20)
        var canvas = blank
        let boxes = [
            CanvasRect(x: 25, y: 0, width: 10, height: 10),
            CanvasRect(x: -30, y: -30, width: 10, height: 10),
            CanvasRect(x: 0, y: 20, width: 20, height: 5),
            CanvasRect(x: .nan, y: 0, width: 10, height: 10),
            CanvasRect(x: 0, y: 0, width: .infinity, height: 10),
            CanvasRect(x: -.infinity, y: 0, width: 10, height: 10),
            CanvasRect(x: 1e300, y: -1e300, width: 1e300, height: 1e300),
            CanvasRect(x: -1e300, y: -1e300, width: -1e300, height: 5),
        ]
        for box in boxes {
            canvas.stroke(box, with: Self.red, thickness: 3)
            canvas.fill(box, with: Self.red)
            canvas.drawLabel("x", for: box, background: Self.red)
            canvas.blit(PixelImage(width: 2, height: 2, colour: .grey, filledWith: 255), fittingInto: box)
        }
        canvas.drawPolygon([.nan, 1, 5, 5, 1e300, .infinity], colour: Self.red)
        #expect(canvas == blank)
    }

    @Test func hugeBoxAroundTheCanvasDrawsOnlyItsVisibleEdges() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.stroke(CanvasRect(x: -1e12, y: 5, width: 2e12, height: 1e15), with: Self.red, thickness: 2)
        #expect(Self.pixels(of: Self.red, in: canvas).count == 40)  // rows 5 and 6 only
        canvas.fill(CanvasRect(x: -1e300, y: -1e300, width: .greatestFiniteMagnitude, height: 1e308), with: Self.blue)
        #expect(Self.pixels(of: Self.blue, in: canvas).count == 400)
    }

    @Test func linesAreBresenhamAndClipped() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.drawLine(x0: 1, y0: 2, x1: 6, y1: 2, colour: Self.red)
        #expect(Self.pixels(of: Self.red, in: canvas).map(\.x) == [1, 2, 3, 4, 5, 6])

        var diagonal = Canvas(width: 10, height: 10)
        diagonal.drawLine(x0: -1e9, y0: -1e9, x1: 1e9, y1: 1e9, colour: Self.red)
        let diagonalPixels = Self.pixels(of: Self.red, in: diagonal)
        #expect(diagonalPixels.count == 10)
        #expect(diagonalPixels.allSatisfy { $0.x == $0.y })

        var thick = Canvas(width: 10, height: 10)
        thick.drawLine(x0: 2, y0: 5, x1: 7, y1: 5, colour: Self.red, thickness: 3)
        #expect(Self.pixels(of: Self.red, in: thick).count == 6 * 3 + 2 * 3)
    }

    @Test func polygonOutlineJoinsItsPointsAndClosesTheLoop() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.drawPolygon([2, 2, 12, 2, 12, 12, 2, 12], colour: Self.red)
        for (x, y) in [(2, 2), (12, 2), (12, 12), (2, 12), (7, 2), (12, 7), (7, 12), (2, 7)] {
            #expect(canvas.colour(atX: x, y: y) == Self.red, "(\(x), \(y))")
        }
        #expect(canvas.colour(atX: 7, y: 7) == .black)
        #expect(Self.pixels(of: Self.red, in: canvas).count == 40)

        var open = Canvas(width: 20, height: 20)
        open.drawPolygon([2, 2, 12, 2, 12, 12, 2, 12, 99], colour: Self.red, closed: false)
        #expect(open.colour(atX: 2, y: 7) == .black)
        #expect(Self.pixels(of: Self.red, in: open).count == 31)

        var skipped = Canvas(width: 20, height: 20)
        skipped.drawPolygon([2, 2, 12, 2, .nan, 5], colour: Self.red)
        #expect(Self.pixels(of: Self.red, in: skipped).count == 11)
    }

    @Test func textDrawsTheGlyphPixelsWithinItsMeasuredBox() {
        var canvas = Canvas(width: 80, height: 30)
        let drawn = canvas.drawText("Hi gH", x: 3, y: 4, scale: 2, colour: .white)
        let width = BitmapFont.width(of: "Hi gH", scale: 2)
        let height = BitmapFont.height(lines: 1, scale: 2)
        #expect(drawn == CanvasRect(x: 3, y: 4, width: width, height: height))
        let ink = Self.pixels(of: .white, in: canvas)
        #expect(!ink.isEmpty)
        #expect(ink.allSatisfy { (3..<(3 + width)).contains($0.x) && (4..<(4 + height)).contains($0.y) })
        #expect(ink.contains { $0.x == 3 + width - 1 })  // the last "H" reaches the measured right edge
        #expect(ink.contains { $0.y == 4 + height - 1 })  // the "g" reaches the bottom
        // Every canvas pixel matches the font: "H" at scale 2.
        for y in 0..<16 {
            for x in 0..<10 {
                let expected = BitmapFont.isInk("H", x: x / 2, y: y / 2)
                #expect((canvas.colour(atX: 3 + x, y: 4 + y) == .white) == expected, "(\(x), \(y))")
            }
        }
    }

    @Test func textBreaksLinesAndDrawsUnknownCharactersAsQuestionMarks() {
        var twoLines = Canvas(width: 40, height: 30)
        let drawn = twoLines.drawText("a\nb", x: 0, y: 0, colour: .white)
        #expect(drawn.height == Double(BitmapFont.lineHeight + BitmapFont.cellHeight))
        #expect(Self.pixels(of: .white, in: twoLines).contains { $0.y >= BitmapFont.lineHeight })

        var unknown = Canvas(width: 40, height: 10)
        unknown.drawText("é⇒", x: 1, y: 1, colour: .white)
        var questions = Canvas(width: 40, height: 10)
        questions.drawText("??", x: 1, y: 1, colour: .white)
        #expect(unknown == questions)
    }

    @Test func textWithABackgroundFillsALabelBoxAroundIt() {
        var canvas = Canvas(width: 40, height: 20)
        let drawn = canvas.drawText("ok", x: 5, y: 5, scale: 1, colour: .white, background: Self.blue)
        #expect(drawn == CanvasRect(x: 4, y: 4, width: 13, height: 10))
        let label = Self.pixels(of: Self.blue, in: canvas) + Self.pixels(of: .white, in: canvas)
        #expect(label.count == 13 * 10)
        #expect(canvas.colour(atX: 4, y: 4) == Self.blue)
        #expect(canvas.colour(atX: 3, y: 4) == .black)
    }

    @Test func textOffTheCanvasIsClipped() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.drawText("WWWWWWWWWW", x: -20, y: -3, scale: 1, colour: .white)
        canvas.drawText(String(repeating: "x", count: 10_000), x: Int.max, y: Int.min, scale: 1_000, colour: .white)
        #expect(Self.pixels(of: .white, in: canvas).allSatisfy { $0.y < 5 })
        #expect(!Self.pixels(of: .white, in: canvas).isEmpty)
    }

    @Test func labelsSitAboveTheirBoxOrInsideItAndStayOnTheCanvas() {
        var canvas = Canvas(width: 100, height: 60)
        let above = canvas.drawLabel("car", for: CanvasRect(x: 20, y: 30, width: 40, height: 20), background: Self.red)
        #expect(above == CanvasRect(x: 20, y: 20, width: 19, height: 10))
        #expect(canvas.colour(atX: 20, y: 20) == Self.red)

        let inside = canvas.drawLabel("dog", for: CanvasRect(x: 10, y: 2, width: 30, height: 30), background: Self.red)
        #expect(inside == CanvasRect(x: 10, y: 2, width: 19, height: 10))

        let right = canvas.drawLabel("person", for: CanvasRect(x: 95, y: 40, width: 30, height: 30), background: .white)
        #expect(right?.x == Double(100 - 37))

        let long = canvas.drawLabel(
            String(repeating: "long ", count: 40), for: CanvasRect(x: 0, y: 30, width: 5, height: 5),
            background: .white)
        #expect(long.map { $0.width <= 100 } == true)
        #expect(canvas.drawLabel("", for: CanvasRect(x: 0, y: 0, width: 5, height: 5), background: .white) == nil)
    }

    @Test func clipConfinesDrawing() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.clip = CanvasRect(x: 5, y: 5, width: 10, height: 10)
        canvas.fill(CanvasRect(x: 0, y: 0, width: 20, height: 20), with: Self.red)
        canvas.drawLine(x0: 0, y0: 0, x1: 19, y1: 19, colour: Self.blue)
        let red = Self.pixels(of: Self.red, in: canvas)
        let blue = Self.pixels(of: Self.blue, in: canvas)
        #expect(red.count + blue.count == 100)
        #expect(blue.count == 10)
        #expect((red + blue).allSatisfy { (5..<15).contains($0.x) && (5..<15).contains($0.y) })

        canvas.clip = CanvasRect(x: 1, y: 1, width: .nan, height: 3)
        canvas.clear(to: .white)
        #expect(canvas.colour(atX: 0, y: 0) == .black)
    }

    @Test func labelsStayInsideTheClip() {
        var canvas = Canvas(width: 100, height: 60)
        canvas.clip = CanvasRect(x: 10, y: 10, width: 60, height: 40)
        let label = canvas.drawLabel("abc", for: CanvasRect(x: 55, y: 12, width: 10, height: 10), background: .white)
        #expect(label == CanvasRect(x: 51, y: 12, width: 19, height: 10))
        #expect(canvas.drawLabel("abc", for: CanvasRect(x: 0, y: 0, width: 9, height: 9), background: .white) == nil)
    }

    @Test func classColoursAreDistinctAndWrapAround() {
        let colours = (0..<12).map(Canvas.colour(forClass:))
        #expect(Set(colours).count == 12)
        #expect(Canvas.colour(forClass: 12) == Canvas.colour(forClass: 0))
        #expect(Canvas.colour(forClass: -1) == Canvas.colour(forClass: 11))
        #expect(Canvas.colour(forClass: Int.min) == Canvas.colour(forClass: Int.min % 12 + 12))
        #expect(RGBColour.white.contrastingText == .black)
        #expect(RGBColour(red: 0, green: 0, blue: 200).contrastingText == .white)
    }
}
