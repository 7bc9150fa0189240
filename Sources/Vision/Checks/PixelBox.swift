/// A box in pixels, 0-based, edges as continuous coordinates (`x1`, `y1` exclusive), whatever format it came from.
struct PixelBox: Sendable, Equatable {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double

    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }
    var area: Double { max(0, width) * max(0, height) }

    /// The box of an annotation; YOLO's needs the image size. Nil without a box or with a non-finite number.
    init?(_ annotation: Annotation, imageSize: (width: Int, height: Int)?) {
        guard let box = annotation.box, box.count == 4, box.allSatisfy(\.isFinite) else { return nil }
        switch annotation.convention {
        case .cocoPixels:
            self.init(x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3])
        case .yoloNormalised:
            guard let size = imageSize else { return nil }
            let width = Double(size.width), height = Double(size.height)
            self.init(
                x0: (box[0] - box[2] / 2) * width, y0: (box[1] - box[3] / 2) * height,
                x1: (box[0] + box[2] / 2) * width, y1: (box[1] + box[3] / 2) * height)
        case .vocOneBased:
            // Pixel xmin (1-based, inclusive) starts at 0-based coordinate xmin − 1; xmax inclusive ends at xmax.
            self.init(x0: box[0] - 1, y0: box[1] - 1, x1: box[2], y1: box[3])
        }
    }

    init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    func intersectionOverUnion(_ other: PixelBox) -> Double {
        let overlap = max(0, min(x1, other.x1) - max(x0, other.x0)) * max(0, min(y1, other.y1) - max(y0, other.y0))
        let union = area + other.area - overlap
        return union > 0 ? overlap / union : 0
    }
}
