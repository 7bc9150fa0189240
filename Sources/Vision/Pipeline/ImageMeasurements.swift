import Foundation

/// The figures the image-quality checks use, measured in one pass over (a sample of) an image's pixels.
public struct ImageMeasurements: Sendable, Equatable {
    /// The 99th and 5th percentiles of perceived brightness, √(0.241R² + 0.691G² + 0.068B²)/255 (CleanVision's).
    public var brightness99: Double
    public var brightness5: Double
    /// The Shannon entropy of the grey histogram, in bits (0…8).
    public var entropy: Double
    /// Variance of the 4-neighbour Laplacian over variance of grey: the share of an image's contrast that lies in
    /// its finest detail. Blur removes fine detail, so blurry images score low whatever their contrast.
    public var sharpness: Double
    /// Whether the image has no colour: decoded as grey, or R = G = B at every sampled pixel.
    public var isGreyscale: Bool
    /// The image cut into a ``grid``×``grid`` grid of cells, row-major: each cell's mean grey (0…255) and the
    /// spread of grey within it (standard deviation × 8, at most 255; 255 also for a cell no sample fell in) —
    /// enough to tell whether a box lies on anything at all without keeping the pixels.
    public var cellMeans: [UInt8]
    public var cellSpreads: [UInt8]

    /// Cells along each side of ``cellMeans`` and ``cellSpreads``.
    public static let grid = 16

    /// At most about this many pixels are sampled, on a regular grid; smaller images are measured whole. 65,536
    /// samples fix a percentile or an entropy far more finely than the thresholds need, at a fraction of the cost.
    static let samplingBudget = 1 << 16

    /// Measures an image.
    public init(_ image: PixelImage) {
        let width = image.width
        let height = image.height
        let step = max(1, Int((Double(width * height) / Double(Self.samplingBudget)).squareRoot().rounded(.up)))
        var laplacian = (sum: 0, squares: 0, count: 0)
        var isGreyscale = true
        let grid = Self.grid, cells = grid * grid
        // Every tally in one zeroed buffer: the brightness and grey histograms, then each cell's sample count, sum
        // and sum of squares.
        let tallyCount = 2 * 256 + 3 * cells
        let tallies = UnsafeMutablePointer<Int>.allocate(capacity: tallyCount)
        tallies.initialize(repeating: 0, count: tallyCount)
        defer { tallies.deallocate() }
        let brightnessCounts = tallies, greyCounts = tallies + 256
        let cellCounts = tallies + 512, cellSums = cellCounts + cells, cellSquares = cellSums + cells
        let cellOfColumn = (0..<width).map { $0 * grid / width }
        // A row's colour samples wait here for their square roots, taken eight at a time.
        let squares1000 = UnsafeMutablePointer<Float>.allocate(capacity: width + 8)
        defer { squares1000.deallocate() }
        image.pixels.withUnsafeBufferPointer { pixels in
            cellOfColumn.withUnsafeBufferPointer { cellOfColumn in
                let pixels = pixels.baseAddress!, cellOfColumn = cellOfColumn.baseAddress!
                // The loop made twice, for grey and for colour, so neither tests the channel count per sample.
                if image.channels == 1 {
                    isGreyscale = Self.sample(
                        pixels, channels: 1, width: width, height: height, step: step, cellOfColumn: cellOfColumn,
                        squares1000: squares1000, brightness: brightnessCounts, grey: greyCounts, cellCounts: cellCounts,
                        cellSums: cellSums, cellSquares: cellSquares, laplacian: &laplacian)
                } else {
                    isGreyscale = Self.sample(
                        pixels, channels: 3, width: width, height: height, step: step, cellOfColumn: cellOfColumn,
                        squares1000: squares1000, brightness: brightnessCounts, grey: greyCounts, cellCounts: cellCounts,
                        cellSums: cellSums, cellSquares: cellSquares, laplacian: &laplacian)
                }
            }
        }
        let (laplacianSum, laplacianSquares, laplacianCount) = laplacian
        let brightnessHistogram = Array(UnsafeBufferPointer(start: brightnessCounts, count: 256))
        let greyHistogram = Array(UnsafeBufferPointer(start: greyCounts, count: 256))
        var means = [UInt8](repeating: 0, count: cells), spreads = [UInt8](repeating: 255, count: cells)
        for cell in 0..<cells where cellCounts[cell] > 0 {
            let count = Double(cellCounts[cell]), mean = Double(cellSums[cell]) / count
            means[cell] = UInt8(min(255, max(0, mean.rounded())))
            let deviation = max(0, Double(cellSquares[cell]) / count - mean * mean).squareRoot()
            spreads[cell] = UInt8(min(254, (deviation * 8).rounded()))
        }
        cellMeans = means
        cellSpreads = spreads
        let samples = greyHistogram.reduce(0, +)
        brightness99 = Self.percentile(brightnessHistogram, 0.99, samples) / 255
        brightness5 = Self.percentile(brightnessHistogram, 0.05, samples) / 255
        entropy = greyHistogram.reduce(0.0) { total, count in
            guard count > 0 else { return total }
            let share = Double(count) / Double(samples)
            return total - share * log2(share)
        }
        let greyMean = greyHistogram.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) } / Double(samples)
        let greyVariance = greyHistogram.enumerated().reduce(0.0) {
            $0 + Double($1.element) * (Double($1.offset) - greyMean) * (Double($1.offset) - greyMean)
        } / Double(samples)
        if laplacianCount > 0, greyVariance > 0 {
            let mean = Double(laplacianSum) / Double(laplacianCount)
            sharpness = (Double(laplacianSquares) / Double(laplacianCount) - mean * mean) / greyVariance
        } else {
            sharpness = .infinity
        }
        self.isGreyscale = image.colour == .grey || isGreyscale
    }

    /// The value below which `share` of the samples lie, from a 256-bin histogram.
    private static func percentile(_ counts: [Int], _ share: Double, _ total: Int) -> Double {
        let rank = Int((share * Double(total)).rounded(.up))
        var seen = 0
        for (value, count) in counts.enumerated() {
            seen += count
            if seen >= max(1, rank) { return Double(value) }
        }
        return 255
    }
}
