extension GeometryChecks {
    /// The most a cell's grey may vary (standard deviation × 8, as ``ImageMeasurements/cellSpreads`` keeps it) for
    /// the cell to count as flat: one grey level.
    static let flatSpread: UInt8 = 8
    /// How far apart flat cells' means may be and still be one flat area.
    static let flatMeanRange = 2

    /// A box drawn on nothing: every cell of the image's texture grid that lies wholly inside the box (two at
    /// least) is flat and all of them are the same grey. Boxes too small to hold two whole cells are not judged.
    static func onNothing(_ annotation: Annotation, box: PixelBox, image: CheckedImage) -> Flag? {
        guard let summary = image.summary, let measured = summary.measurements, let size = image.size,
            size.width > 0, size.height > 0, measured.cellSpreads.count == ImageMeasurements.grid * ImageMeasurements.grid
        else { return nil }
        let grid = ImageMeasurements.grid
        let cellWidth = Double(size.width) / Double(grid), cellHeight = Double(size.height) / Double(grid)
        var covered: [Int] = []
        for row in 0..<grid where Double(row) * cellHeight >= box.y0 && Double(row + 1) * cellHeight <= box.y1 {
            for column in 0..<grid where Double(column) * cellWidth >= box.x0 && Double(column + 1) * cellWidth <= box.x1 {
                covered.append(row * grid + column)
            }
        }
        guard covered.count >= 2, covered.allSatisfy({ measured.cellSpreads[$0] <= flatSpread }) else { return nil }
        let means = covered.map { Int(measured.cellMeans[$0]) }
        guard let low = means.min(), let high = means.max(), high - low <= flatMeanRange else { return nil }
        return Flag(Finding(
            .boxOnNothing, item: annotation.location.description,
            message: "the box covers flat pixels (grey \(low)…\(high), varying by at most one level in each of the "
                + "\(covered.count) cells of a 16×16 grid inside it): an annotation on empty sky, a padded border or "
                + "nothing; move it onto its object or remove it",
            details: ["cells": .int(covered.count), "grey": .int(low)]), image: annotation.image)
    }
}
