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
        // Every tally in one zeroed buffer: two copies each of the brightness and grey histograms (samples
        // alternate between them, so a run of equal values does not wait on its own last increment), then each
        // cell's sample count, sum and sum of squares.
        let tallyCount = 4 * 256 + 3 * cells
        let tallies = UnsafeMutablePointer<Int>.allocate(capacity: tallyCount)
        tallies.initialize(repeating: 0, count: tallyCount)
        defer { tallies.deallocate() }
        let brightnessCounts = tallies, greyCounts = tallies + 512
        let cellCounts = tallies + 1024, cellSums = cellCounts + cells, cellSquares = cellSums + cells
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
                        squares1000: squares1000, brightness: brightnessCounts, grey: greyCounts, cellCounts: cellCounts, cellSums: cellSums,
                        cellSquares: cellSquares, laplacian: &laplacian)
                } else {
                    isGreyscale = Self.sample(
                        pixels, channels: 3, width: width, height: height, step: step, cellOfColumn: cellOfColumn,
                        squares1000: squares1000, brightness: brightnessCounts, grey: greyCounts, cellCounts: cellCounts, cellSums: cellSums,
                        cellSquares: cellSquares, laplacian: &laplacian)
                }
            }
        }
        for value in 0..<256 {
            brightnessCounts[value] &+= brightnessCounts[256 + value]
            greyCounts[value] &+= greyCounts[256 + value]
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

    /// Tallies the samples of an image with `channels` (1 or 3) per pixel, every `step`th pixel of every `step`th
    /// row: grey and brightness histograms (two copies each, alternating), each cell's count, sum and sum of squares
    /// of grey, and the 4-neighbour Laplacian of grey at interior samples. Returns whether every sample had R = G = B.
    @inline(__always)
    private static func sample(
        _ pixels: UnsafePointer<UInt8>, channels: Int, width: Int, height: Int, step: Int, cellOfColumn: UnsafePointer<Int>,
        squares1000: UnsafeMutablePointer<Float>, brightness: UnsafeMutablePointer<Int>, grey greyCounts: UnsafeMutablePointer<Int>,
        cellCounts: UnsafeMutablePointer<Int>, cellSums: UnsafeMutablePointer<Int>, cellSquares: UnsafeMutablePointer<Int>,
        laplacian: inout (sum: Int, squares: Int, count: Int)
    ) -> Bool {
        @inline(__always) func grey(_ offset: Int) -> Int {
            if channels == 1 { return Int(pixels[offset]) }
            // Pillow's ITU-R 601-2 luma in fixed point, as `convert("L")` computes it.
            return (Int(pixels[offset]) &* 19595 &+ Int(pixels[offset &+ 1]) &* 38470
                &+ Int(pixels[offset &+ 2]) &* 7471 &+ 0x8000) >> 16
        }
        let grid = Self.grid
        let rowStride = width * channels
        var isGreyscale = true
        var (sum, squares, count) = (0, 0, 0)
        for y in stride(from: 0, to: height, by: step) {
            let interiorRow = y > 0 && y < height - 1
            let cellRow = y * grid / height * grid
            // A cell's tallies are kept here while the samples stay in it (they cross a row of cells in runs).
            var cell = -1, cellCount = 0, cellSum = 0, cellSquare = 0
            var copy = 0, rowSamples = 0
            for x in stride(from: 0, to: width, by: step) {
                let offset = y &* rowStride &+ x &* channels
                let centre = grey(offset)
                greyCounts[copy &+ centre] &+= 1
                let here = cellRow &+ cellOfColumn[x]
                if here != cell {
                    if cell >= 0 {
                        cellCounts[cell] &+= cellCount
                        cellSums[cell] &+= cellSum
                        cellSquares[cell] &+= cellSquare
                    }
                    (cell, cellCount, cellSum, cellSquare) = (here, 0, 0, 0)
                }
                cellCount &+= 1
                cellSum &+= centre
                cellSquare &+= centre &* centre
                if channels == 1 {
                    brightness[copy &+ centre] &+= 1
                } else {
                    let red = Int(pixels[offset]), green = Int(pixels[offset &+ 1])
                    let blue = Int(pixels[offset &+ 2])
                    // 1000 × (0.241R² + 0.691G² + 0.068B²); its square root is taken for the whole row below.
                    squares1000[rowSamples] = Float(241 &* red &* red &+ 691 &* green &* green &+ 68 &* blue &* blue)
                    rowSamples &+= 1
                    if red != green || red != blue { isGreyscale = false }
                }
                if interiorRow, x > 0, x < width &- 1 {
                    let value = grey(offset &- channels) &+ grey(offset &+ channels)
                        &+ grey(offset &- rowStride) &+ grey(offset &+ rowStride) &- 4 &* centre
                    sum &+= value
                    squares &+= value &* value
                    count &+= 1
                }
                copy ^= 256
            }
            if cell >= 0 {
                cellCounts[cell] &+= cellCount
                cellSums[cell] &+= cellSum
                cellSquares[cell] &+= cellSquare
            }
            if channels != 1 { tallyBrightness(squares1000, count: rowSamples, into: brightness) }
        }
        laplacian = (sum, squares, count)
        return isGreyscale
    }

    /// Counts `count` colour samples into the brightness histogram's two copies (alternating, first sample in the
    /// first): each level is √(0.001 × square) rounded, the same single-precision operations per lane as one at a
    /// time, so the levels are exactly those.
    @inline(__always)
    private static func tallyBrightness(_ squares1000: UnsafeMutablePointer<Float>, count: Int, into brightness: UnsafeMutablePointer<Int>) {
        var index = 0
        while index &+ 8 <= count {
            let squared = UnsafeRawPointer(squares1000 + index).loadUnaligned(as: SIMD8<Float>.self) * 0.001
            let levels = squared.squareRoot() + 0.5
            for lane in 0..<8 {
                brightness[((index &+ lane) & 1) &* 256 &+ min(255, Int(levels[lane]))] &+= 1
            }
            index &+= 8
        }
        while index < count {
            let squared = squares1000[index] * 0.001
            brightness[(index & 1) &* 256 &+ min(255, Int(squared.squareRoot() + 0.5))] &+= 1
            index &+= 1
        }
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
