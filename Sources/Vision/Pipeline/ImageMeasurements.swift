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

    /// At most this many pixels are sampled (on a regular grid); smaller images are measured whole.
    static let samplingBudget = 1 << 20

    /// Measures an image.
    public init(_ image: PixelImage) {
        let width = image.width
        let height = image.height
        let step = max(1, Int((Double(width * height) / Double(Self.samplingBudget)).squareRoot().rounded(.up)))
        var brightnessCounts = [Int](repeating: 0, count: 256)
        var greyCounts = [Int](repeating: 0, count: 256)
        var isGreyscale = true
        var laplacianSum = 0.0, laplacianSquares = 0.0, laplacianCount = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            let channels = image.channels
            @inline(__always) func grey(_ x: Int, _ y: Int) -> Int {
                let base = (y * width + x) * channels
                if channels == 1 { return Int(pixels[base]) }
                // Pillow's ITU-R 601-2 luma in fixed point, as `convert("L")` computes it.
                return (Int(pixels[base]) * 19595 + Int(pixels[base + 1]) * 38470 + Int(pixels[base + 2]) * 7471
                    + 0x8000) >> 16
            }
            for y in stride(from: 0, to: height, by: step) {
                for x in stride(from: 0, to: width, by: step) {
                    let base = (y * width + x) * channels
                    let brightness: Double
                    if channels == 1 {
                        brightness = Double(pixels[base])
                    } else {
                        let red = Double(pixels[base]), green = Double(pixels[base + 1]), blue = Double(pixels[base + 2])
                        brightness = (0.241 * red * red + 0.691 * green * green + 0.068 * blue * blue).squareRoot()
                        if isGreyscale, pixels[base] != pixels[base + 1] || pixels[base] != pixels[base + 2] {
                            isGreyscale = false
                        }
                    }
                    brightnessCounts[min(255, Int(brightness.rounded()))] += 1
                    let centre = grey(x, y)
                    greyCounts[centre] += 1
                    if x > 0, y > 0, x < width - 1, y < height - 1 {
                        let laplacian = Double(grey(x - 1, y) + grey(x + 1, y) + grey(x, y - 1) + grey(x, y + 1) - 4 * centre)
                        laplacianSum += laplacian
                        laplacianSquares += laplacian * laplacian
                        laplacianCount += 1
                    }
                }
            }
        }
        let samples = greyCounts.reduce(0, +)
        brightness99 = Self.percentile(brightnessCounts, 0.99, samples) / 255
        brightness5 = Self.percentile(brightnessCounts, 0.05, samples) / 255
        entropy = greyCounts.reduce(0.0) { total, count in
            guard count > 0 else { return total }
            let share = Double(count) / Double(samples)
            return total - share * log2(share)
        }
        let greyMean = greyCounts.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) } / Double(samples)
        let greyVariance = greyCounts.enumerated().reduce(0.0) {
            $0 + Double($1.element) * (Double($1.offset) - greyMean) * (Double($1.offset) - greyMean)
        } / Double(samples)
        if laplacianCount > 0, greyVariance > 0 {
            let mean = laplacianSum / Double(laplacianCount)
            sharpness = (laplacianSquares / Double(laplacianCount) - mean * mean) / greyVariance
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
