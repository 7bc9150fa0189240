import Foundation
import Testing
import Vision

/// The quality measurements are taken in one tuned pass (the loop made once for grey and once for colour, a colour
/// row's square roots taken eight at a time); they must be exactly those of the plain per-sample definition,
/// transcribed below.
@Suite("Image measurements")
struct ImageMeasurementsTests {
    /// The measurements as the type documents them, one sample at a time.
    struct Reference: Equatable {
        var brightness99 = 0.0, brightness5 = 0.0, entropy = 0.0, sharpness = 0.0
        var isGreyscale = true
        var cellMeans: [UInt8] = [], cellSpreads: [UInt8] = []

        init() {}

        init(_ image: PixelImage) {
            let (width, height, channels, pixels) = (image.width, image.height, image.channels, image.pixels)
            let step = max(1, Int((Double(width * height) / Double(1 << 16)).squareRoot().rounded(.up)))
            let grid = ImageMeasurements.grid, cells = grid * grid
            func grey(_ x: Int, _ y: Int) -> Int {
                let at = (y * width + x) * channels
                if channels == 1 { return Int(pixels[at]) }
                return (Int(pixels[at]) * 19595 + Int(pixels[at + 1]) * 38470 + Int(pixels[at + 2]) * 7471 + 0x8000) >> 16
            }
            var brightness = [Int](repeating: 0, count: 256), greys = [Int](repeating: 0, count: 256)
            var counts = [Int](repeating: 0, count: cells), sums = counts, squares = counts
            var laplacians: [Int] = []
            for y in stride(from: 0, to: height, by: step) {
                for x in stride(from: 0, to: width, by: step) {
                    let centre = grey(x, y)
                    greys[centre] += 1
                    let cell = y * grid / height * grid + x * grid / width
                    counts[cell] += 1
                    sums[cell] += centre
                    squares[cell] += centre * centre
                    let at = (y * width + x) * channels
                    if channels == 1 {
                        brightness[centre] += 1
                    } else {
                        let (red, green, blue) = (Int(pixels[at]), Int(pixels[at + 1]), Int(pixels[at + 2]))
                        let squared = Float(241 * red * red + 691 * green * green + 68 * blue * blue) * 0.001
                        brightness[min(255, Int(squared.squareRoot() + 0.5))] += 1
                        if red != green || red != blue { isGreyscale = false }
                    }
                    if y > 0, y < height - 1, x > 0, x < width - 1 {
                        laplacians.append(grey(x - 1, y) + grey(x + 1, y) + grey(x, y - 1) + grey(x, y + 1) - 4 * centre)
                    }
                }
            }
            for cell in 0..<cells {
                guard counts[cell] > 0 else {
                    cellMeans.append(0)
                    cellSpreads.append(255)
                    continue
                }
                let count = Double(counts[cell]), mean = Double(sums[cell]) / count
                cellMeans.append(UInt8(min(255, max(0, mean.rounded()))))
                cellSpreads.append(UInt8(min(254, (max(0, Double(squares[cell]) / count - mean * mean).squareRoot() * 8).rounded())))
            }
            let samples = greys.reduce(0, +)
            func percentile(_ share: Double) -> Double {
                let rank = max(1, Int((share * Double(samples)).rounded(.up)))
                var seen = 0
                for (value, count) in brightness.enumerated() {
                    seen += count
                    if seen >= rank { return Double(value) }
                }
                return 255
            }
            brightness99 = percentile(0.99) / 255
            brightness5 = percentile(0.05) / 255
            entropy = greys.reduce(0.0) { total, count in
                count > 0 ? total - Double(count) / Double(samples) * log2(Double(count) / Double(samples)) : total
            }
            let mean = greys.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) } / Double(samples)
            let variance = greys.enumerated().reduce(0.0) {
                $0 + Double($1.element) * (Double($1.offset) - mean) * (Double($1.offset) - mean)
            } / Double(samples)
            if !laplacians.isEmpty, variance > 0 {
                let lMean = Double(laplacians.reduce(0, +)) / Double(laplacians.count)
                sharpness = (Double(laplacians.reduce(0) { $0 + $1 * $1 }) / Double(laplacians.count) - lMean * lMean) / variance
            } else {
                sharpness = .infinity
            }
            isGreyscale = image.colour == .grey || isGreyscale
        }
    }

    static func measured(_ image: PixelImage) -> Reference {
        let measured = ImageMeasurements(image)
        var figures = Reference()
        (figures.brightness99, figures.brightness5, figures.entropy, figures.sharpness) =
            (measured.brightness99, measured.brightness5, measured.entropy, measured.sharpness)
        (figures.isGreyscale, figures.cellMeans, figures.cellSpreads) = (measured.isGreyscale, measured.cellMeans, measured.cellSpreads)
        return figures
    }

    /// Noise, smooth ramps (long runs of one value), flat fields and colour with R = G = B, at sizes measured whole
    /// and sampled, narrower and shorter than the grid.
    static func images() -> [(String, PixelImage)] {
        var generator = SystemRandomNumberGenerator()
        var images: [(String, PixelImage)] = []
        for (width, height) in [(1, 1), (2, 3), (7, 5), (17, 9), (640, 480), (1000, 700), (333, 1111)] {
            for colour in [PixelImage.Colour.grey, .rgb] {
                let count = width * height * colour.rawValue
                let noise = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let ramp = (0..<count).map { UInt8(($0 / colour.rawValue % width) * 255 / max(1, width - 1)) }
                let flat = [UInt8](repeating: 77, count: count)
                let dark = (0..<count).map { UInt8(($0 / 13) % 9) }
                for (name, pixels) in [("noise", noise), ("ramp", ramp), ("flat", flat), ("dark", dark)] {
                    images.append(("\(name) \(width)×\(height) \(colour)", PixelImage(width: width, height: height, colour: colour, pixels: pixels)))
                }
            }
        }
        return images
    }

    @Test("every figure equals the plain per-sample definition, bit for bit, over noise, ramps, flat and dark images of every size and channel count")
    func matchesReference() {
        for (name, image) in Self.images() {
            #expect(Self.measured(image) == Reference(image), "\(name)")
        }
    }
}
