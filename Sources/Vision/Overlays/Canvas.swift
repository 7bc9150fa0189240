/// An RGB drawing surface for contact sheets: rectangles, box outlines, polygon outlines, text and scaled images.
///
/// Drawing never fails and never reaches outside the canvas: shapes are clipped to it, shapes wholly outside draw
/// nothing, and a shape with a NaN or infinite coordinate is ignored. Coordinates follow ``CanvasRect``: pixel
/// `(i, j)` covers `[i, i + 1) × [j, j + 1)`, y grows downwards. Setting ``clip`` confines drawing further, e.g. to
/// one tile of a contact sheet.
public struct Canvas: Sendable, Equatable {
    /// The pixels drawn so far, always ``PixelImage/Colour/rgb``.
    public private(set) var image: PixelImage

    /// Where drawing may go, besides the canvas itself: the pixels this rectangle covers, edges rounded to the
    /// nearest pixel boundary (an empty or non-finite rectangle lets nothing through). Nil, the default, allows the
    /// whole canvas. Labels from ``drawLabel(_:for:scale:background:textColour:)`` are kept inside it.
    public var clip: CanvasRect?

    public var width: Int { image.width }
    public var height: Int { image.height }

    /// A canvas of one colour. A negative size is taken as 0.
    public init(width: Int, height: Int, background: RGBColour = .black) {
        image = PixelImage(width: max(0, width), height: max(0, height), colour: .rgb)
        if background != .black { clear(to: background) }
    }

    /// A canvas showing `image`, converted to RGB if it is grey.
    public init(_ image: PixelImage) {
        switch image.colour {
        case .rgb:
            self.image = image
        case .grey:
            var pixels = [UInt8](repeating: 0, count: image.pixels.count * 3)
            pixels.withUnsafeMutableBufferPointer { out in
                for (i, value) in image.pixels.enumerated() {
                    out[3 * i] = value
                    out[3 * i + 1] = value
                    out[3 * i + 2] = value
                }
            }
            self.image = PixelImage(width: image.width, height: image.height, colour: .rgb, pixels: pixels)
        }
    }

    /// The colour of the pixel at column `x`, row `y`; nil outside the canvas.
    public func colour(atX x: Int, y: Int) -> RGBColour? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let i = (y * width + x) * 3
        return RGBColour(red: image.pixels[i], green: image.pixels[i + 1], blue: image.pixels[i + 2])
    }

    /// The colour for class `index` from ``RGBColour/classPalette``, wrapping around (negative indices too), so the
    /// same class always gets the same colour.
    public static func colour(forClass index: Int) -> RGBColour {
        let count = RGBColour.classPalette.count
        return RGBColour.classPalette[(index % count + count) % count]
    }

    /// Paints the whole canvas `colour` (within ``clip``).
    public mutating func clear(to colour: RGBColour) {
        withRaster { $0.fill($0.x0, $0.y0, $0.x1, $0.y1, colour) }
    }

    /// Fills the pixels `rect` covers (see ``CanvasRect``), as far as they are on the canvas.
    public mutating func fill(_ rect: CanvasRect, with colour: RGBColour) {
        guard let b = rect.pixelBounds else { return }
        withRaster { $0.fill(b.x0, b.y0, b.x1, b.y1, colour) }
    }

    /// Draws the outline of `rect`, `thickness` pixels wide, inside the pixels the rectangle covers: its outermost
    /// pixels are the rectangle's edge pixels, so a box at the border of an image stays wholly visible. A rectangle
    /// no more than twice `thickness` across is filled. Thickness is at least 1.
    public mutating func stroke(_ rect: CanvasRect, with colour: RGBColour, thickness: Int = 1) {
        guard let b = rect.pixelBounds else { return }
        let t = Canvas.clampedThickness(thickness)
        withRaster { raster in
            if b.x1 - b.x0 <= 2 * t || b.y1 - b.y0 <= 2 * t {
                raster.fill(b.x0, b.y0, b.x1, b.y1, colour)
                return
            }
            raster.fill(b.x0, b.y0, b.x1, b.y0 + t, colour)
            raster.fill(b.x0, b.y1 - t, b.x1, b.y1, colour)
            raster.fill(b.x0, b.y0 + t, b.x0 + t, b.y1 - t, colour)
            raster.fill(b.x1 - t, b.y0 + t, b.x1, b.y1 - t, colour)
        }
    }

    /// Draws a straight line (Bresenham) from `(x0, y0)` to `(x1, y1)`, each point landing in the pixel that
    /// contains it; a thickness above 1 draws a square brush of that size centred on each pixel of the line.
    public mutating func drawLine(
        x0: Double, y0: Double, x1: Double, y1: Double, colour: RGBColour, thickness: Int = 1
    ) {
        let t = Canvas.clampedThickness(thickness)
        withRaster { $0.line(x0, y0, x1, y1, colour, thickness: t) }
    }

    /// Draws the outline of a polygon given as flat coordinates `[x1, y1, x2, y2, …]` (COCO's form), closing it back
    /// to the first point unless `closed` is false. An odd trailing number is ignored; edges with a NaN or infinite
    /// end are skipped.
    public mutating func drawPolygon(
        _ coordinates: [Double], colour: RGBColour, thickness: Int = 1, closed: Bool = true
    ) {
        let points = coordinates.count / 2
        guard points > 0 else { return }
        let t = Canvas.clampedThickness(thickness)
        withRaster { raster in
            if points == 1 {
                raster.line(coordinates[0], coordinates[1], coordinates[0], coordinates[1], colour, thickness: t)
                return
            }
            let edges = closed && points > 2 ? points : points - 1
            for edge in 0..<edges {
                let a = 2 * edge
                let b = 2 * ((edge + 1) % points)
                raster.line(
                    coordinates[a], coordinates[a + 1], coordinates[b], coordinates[b + 1], colour, thickness: t)
            }
        }
    }

    // MARK: Internals

    static func clampedThickness(_ thickness: Int) -> Int { min(max(thickness, 1), 1 << 16) }

    /// The drawable area: the canvas intersected with ``clip``, as exclusive pixel bounds (possibly empty).
    var drawableBounds: (x0: Int, y0: Int, x1: Int, y1: Int) {
        guard let clip else { return (0, 0, width, height) }
        guard let edges = clip.pixelEdges else { return (0, 0, 0, 0) }
        return (max(0, edges.x0), max(0, edges.y0), min(width, edges.x1), min(height, edges.y1))
    }

    /// Runs `body` with direct access to the pixels (one exclusive access for a whole shape).
    mutating func withRaster<R>(_ body: (Raster) -> R) -> R {
        let width = image.width
        let bounds = drawableBounds
        return image.pixels.withUnsafeMutableBufferPointer {
            body(Raster(pixels: $0, width: width, x0: bounds.x0, y0: bounds.y0, x1: bounds.x1, y1: bounds.y1))
        }
    }
}

/// The canvas's pixel buffer during one drawing call, with primitives clipped to the drawable area.
struct Raster {
    let pixels: UnsafeMutableBufferPointer<UInt8>
    /// The canvas's width: the row stride, in pixels.
    let width: Int
    /// The drawable area, exclusive at x1 and y1, inside the canvas.
    let x0: Int
    let y0: Int
    let x1: Int
    let y1: Int

    var isEmpty: Bool { x0 >= x1 || y0 >= y1 }

    /// Fills columns `x0..<x1`, rows `y0..<y1`, clipped to the drawable area.
    func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: RGBColour) {
        let cx0 = max(x0, self.x0)
        let cy0 = max(y0, self.y0)
        let cx1 = min(x1, self.x1)
        let cy1 = min(y1, self.y1)
        guard cx0 < cx1, cy0 < cy1 else { return }
        let (r, g, b) = (colour.red, colour.green, colour.blue)
        for y in cy0..<cy1 {
            var i = (y * width + cx0) * 3
            for _ in cx0..<cx1 {
                pixels[i] = r
                pixels[i + 1] = g
                pixels[i + 2] = b
                i += 3
            }
        }
    }

    /// A Bresenham line between the pixels containing the two points, clipped first (Liang–Barsky) to the canvas
    /// area widened by the brush, so that far-away ends cost nothing.
    func line(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ colour: RGBColour, thickness: Int) {
        guard ax.isFinite, ay.isFinite, bx.isFinite, by.isFinite, !isEmpty else { return }
        let margin = Double(thickness + 1)
        guard
            let (cax, cay, cbx, cby) = Raster.clip(
                ax, ay, bx, by, minX: Double(x0) - margin, minY: Double(y0) - margin,
                maxX: Double(x1) + margin, maxY: Double(y1) + margin)
        else { return }
        var x = Int(cax.rounded(.down))
        var y = Int(cay.rounded(.down))
        let endX = Int(cbx.rounded(.down))
        let endY = Int(cby.rounded(.down))
        let dx = abs(endX - x)
        let dy = -abs(endY - y)
        let stepX = x < endX ? 1 : -1
        let stepY = y < endY ? 1 : -1
        var error = dx + dy
        let before = (thickness - 1) / 2
        while true {
            fill(x - before, y - before, x - before + thickness, y - before + thickness, colour)
            if x == endX && y == endY { break }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += stepX
            }
            if doubled <= dx {
                error += dx
                y += stepY
            }
        }
    }

    /// The part of the segment inside the rectangle, or nil when none is.
    static func clip(
        _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
        minX: Double, minY: Double, maxX: Double, maxY: Double
    ) -> (Double, Double, Double, Double)? {
        let dx = bx - ax
        let dy = by - ay
        guard dx.isFinite, dy.isFinite else { return nil }
        var t0 = 0.0
        var t1 = 1.0
        for (p, q) in [(-dx, ax - minX), (dx, maxX - ax), (-dy, ay - minY), (dy, maxY - ay)] {
            if p == 0 {
                if q < 0 { return nil }
                continue
            }
            let r = q / p
            if p < 0 {
                if r > t1 { return nil }
                t0 = max(t0, r)
            } else {
                if r < t0 { return nil }
                t1 = min(t1, r)
            }
        }
        return (ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy)
    }
}
