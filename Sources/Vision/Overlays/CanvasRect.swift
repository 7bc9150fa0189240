/// A rectangle in a canvas's pixel coordinates: the top-left corner and the size, in pixels, with y growing downwards.
///
/// Pixel `(i, j)` covers `[i, i + 1) × [j, j + 1)`, so a rectangle `x: 10, y: 5, width: 20, height: 10` covers
/// columns 10 to 29 and rows 5 to 14. Coordinates are `Double` so that annotation boxes can be drawn as written; a
/// negative width or height extends the rectangle to the left or upwards, and the drawing calls ignore a rectangle
/// with a NaN or infinite number.
public struct CanvasRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.init(x: Double(x), y: Double(y), width: Double(width), height: Double(height))
    }

    /// The rectangle between two corners, e.g. a Pascal VOC box converted to 0-based corners.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.init(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    public var minX: Double { Swift.min(x, x + width) }
    public var minY: Double { Swift.min(y, y + height) }
    public var maxX: Double { Swift.max(x, x + width) }
    public var maxY: Double { Swift.max(y, y + height) }

    /// Whether all four numbers are finite.
    public var isFinite: Bool { x.isFinite && y.isFinite && width.isFinite && height.isFinite }

    /// The whole pixels the rectangle covers: edges rounded to the nearest pixel boundary, at least one pixel wide and
    /// high (so a degenerate box still shows), coordinates clamped to ±2⁴⁰ so that huge values cannot overflow; nil
    /// when a number is not finite. `x1` and `y1` are exclusive.
    var pixelBounds: (x0: Int, y0: Int, x1: Int, y1: Int)? {
        guard let edges = pixelEdges else { return nil }
        return (edges.x0, edges.y0, max(edges.x0 + 1, edges.x1), max(edges.y0 + 1, edges.y1))
    }

    /// The edges rounded to the nearest pixel boundary, as ``pixelBounds`` but possibly empty.
    var pixelEdges: (x0: Int, y0: Int, x1: Int, y1: Int)? {
        guard isFinite else { return nil }
        return (
            CanvasRect.pixelEdge(minX), CanvasRect.pixelEdge(minY), CanvasRect.pixelEdge(maxX),
            CanvasRect.pixelEdge(maxY)
        )
    }

    /// The limit coordinates are clamped to before converting to `Int`: far outside any canvas, far from overflow.
    static let coordinateLimit = Double(1 << 40)

    static func pixelEdge(_ value: Double) -> Int {
        Int(Swift.min(Swift.max(value, -coordinateLimit), coordinateLimit).rounded())
    }
}
