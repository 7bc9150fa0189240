/// Geometry of COCO polygons, each `[x1, y1, x2, y2, …]` in pixels (a trailing odd coordinate is ignored).
public enum Polygons {
    /// The area enclosed by one polygon by the shoelace formula (absolute value); 0 for fewer than 3 points.
    public static func area(_ polygon: [Double]) -> Double {
        let points = polygon.count / 2
        guard points >= 3 else { return 0 }
        var twice = 0.0
        for index in 0..<points {
            let next = (index + 1) % points
            twice += polygon[2 * index] * polygon[2 * next + 1] - polygon[2 * next] * polygon[2 * index + 1]
        }
        return abs(twice) / 2
    }

    /// The sum of the polygons' shoelace areas.
    public static func area(_ polygons: [[Double]]) -> Double {
        polygons.reduce(0) { $0 + area($1) }
    }

    /// `[x, y, width, height]` from the least and greatest coordinates of all points; nil when there are none.
    public static func bounds(_ polygons: [[Double]]) -> [Double]? {
        var minX = Double.infinity
        var minY = Double.infinity
        var maxX = -Double.infinity
        var maxY = -Double.infinity
        for polygon in polygons {
            for index in 0..<polygon.count / 2 {
                minX = min(minX, polygon[2 * index])
                maxX = max(maxX, polygon[2 * index])
                minY = min(minY, polygon[2 * index + 1])
                maxY = max(maxY, polygon[2 * index + 1])
            }
        }
        guard minX <= maxX, minY <= maxY else { return nil }
        return [minX, minY, maxX - minX, maxY - minY]
    }

    /// The polygons rasterised as COCO does (pycocotools `rleFrPoly` on each, then `rleMerge`): the mask whose
    /// ``RunLengthMask/area`` is the `area` pycocotools gives a polygon annotation. Nil when the image size is not
    /// positive, there are no polygons, or a coordinate is not finite or too large for pycocotools' 32-bit
    /// arithmetic, or an outline is longer than ``maximumOutlinePoints``.
    ///
    /// pycocotools reads a list holding exactly 4 numbers as a box, not a polygon; this does not.
    public static func rasterise(_ polygons: [[Double]], height: Int, width: Int) -> RunLengthMask? {
        guard !polygons.isEmpty else { return nil }
        var masks: [RunLengthMask] = []
        for polygon in polygons {
            guard let mask = rasterise(polygon, height: height, width: width) else { return nil }
            masks.append(mask)
        }
        return RunLengthMask.union(masks)
    }

    /// The most points the 5× outline of one polygon may have (its perimeter in pixels × 5).
    public static let maximumOutlinePoints = 50_000_000

    /// One polygon rasterised exactly as pycocotools `rleFrPoly` does: the outline is traced at 5× resolution and
    /// each column's crossings are taken back to pixel rows, so a pixel is set when its centre is inside.
    public static func rasterise(_ polygon: [Double], height: Int, width: Int) -> RunLengthMask? {
        guard height > 0, width > 0, height <= Int(UInt32.max) / width else { return nil }
        let scale = 5.0
        let k = polygon.count / 2
        var x: [Int] = []
        var y: [Int] = []
        for j in 0..<k {
            let sx = scale * polygon[2 * j] + 0.5
            let sy = scale * polygon[2 * j + 1] + 0.5
            guard sx.isFinite, sy.isFinite, abs(sx) < 1e9, abs(sy) < 1e9 else { return nil }
            x.append(Int(sx))
            y.append(Int(sy))
        }
        if k > 0 {
            x.append(x[0])
            y.append(y[0])
        }
        // Upsample: dense points along every edge (a bounded number: outlines far outside any image are refused).
        var points = 0
        for j in 0..<k { points += max(abs(x[j] - x[j + 1]), abs(y[j] - y[j + 1])) + 1 }
        guard points <= maximumOutlinePoints else { return nil }
        var u: [Int] = []
        var v: [Int] = []
        u.reserveCapacity(points)
        v.reserveCapacity(points)
        for j in 0..<k {
            var xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1]
            let dx = abs(xe - xs), dy = abs(ys - ye)
            let flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye)
            if flip {
                swap(&xs, &xe)
                swap(&ys, &ye)
            }
            if dx == 0 && dy == 0 {
                // pycocotools divides 0 by 0 here; the point's row is never read, as both neighbours share its column.
                u.append(xs)
                v.append(ys)
            } else if dx >= dy {
                let s = Double(ye - ys) / Double(dx)
                for d in 0...dx {
                    let t = flip ? dx - d : d
                    u.append(t + xs)
                    v.append(Int(Double(ys) + s * Double(t) + 0.5))
                }
            } else {
                let s = Double(xe - xs) / Double(dy)
                for d in 0...dy {
                    let t = flip ? dy - d : d
                    v.append(t + ys)
                    u.append(Int(Double(xs) + s * Double(t) + 0.5))
                }
            }
        }
        // Points where the outline crosses a column, downsampled to pixel coordinates.
        var boundaries: [Int] = []
        for j in u.indices.dropFirst() where u[j] != u[j - 1] {
            var xd = Double(u[j] < u[j - 1] ? u[j] : u[j] - 1)
            xd = (xd + 0.5) / scale - 0.5
            if xd.rounded(.down) != xd || xd < 0 || xd > Double(width - 1) { continue }
            var yd = Double(v[j] < v[j - 1] ? v[j] : v[j - 1])
            yd = (yd + 0.5) / scale - 0.5
            if yd < 0 { yd = 0 } else if yd > Double(height) { yd = Double(height) }
            yd.round(.up)
            boundaries.append(Int(xd) * height + Int(yd))
        }
        // Runs from the sorted crossings.
        boundaries.append(height * width)
        boundaries.sort()
        var previous = 0
        for j in boundaries.indices {
            let t = boundaries[j]
            boundaries[j] -= previous
            previous = t
        }
        var counts = [boundaries[0]]
        var j = 1
        while j < boundaries.count {
            if boundaries[j] > 0 {
                counts.append(boundaries[j])
                j += 1
            } else {
                j += 1
                if j < boundaries.count {
                    counts[counts.count - 1] += boundaries[j]
                    j += 1
                }
            }
        }
        return RunLengthMask(height: height, width: width, counts: counts, wasCompressed: true)
    }
}

extension Segmentation {
    /// The number of pixels the segmentation covers, as pycocotools' `area` gives it: polygons rasterised and
    /// merged in an image of the given size, a mask's set pixels (whatever its own size). Nil when polygons cannot
    /// be rasterised.
    public func pixelArea(imageHeight: Int, imageWidth: Int) -> Int? {
        switch self {
        case .polygons(let polygons): Polygons.rasterise(polygons, height: imageHeight, width: imageWidth)?.area
        case .mask(let mask): mask.area
        }
    }
}
