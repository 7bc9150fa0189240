import Foundation

/// Pictures for generated datasets: a background of random low-frequency waves (so that every image has its own
/// PDQ hash), fine noise (so that it is sharp), and rectangles of class colours where the boxes are.
struct SyntheticImage {
    var random: SplitMix64

    /// Class colours, well apart from each other and from the background's greys.
    static let classColours: [(UInt8, UInt8, UInt8)] = [
        (220, 40, 40), (40, 200, 60), (50, 80, 230), (230, 200, 30), (200, 50, 210), (30, 200, 210),
    ]

    /// Draws a background of `width`×`height` with boxes `[x, y, w, h]` filled in their class's colour.
    mutating func draw(width: Int, height: Int, boxes: [(box: [Double], colour: Int)]) -> PixelImage {
        var image = PixelImage(width: width, height: height, colour: .rgb)
        // Separable waves: value(x, y) = Σ a·sin(fx·x + px)·sin(fy·y + py), summed per channel offset.
        let waves = (0..<4).map { _ in
            (amplitude: 18 + random.unit() * 30, fx: (0.5 + random.unit() * 4) * 2 * .pi / Double(width),
             px: random.unit() * 2 * .pi, fy: (0.5 + random.unit() * 4) * 2 * .pi / Double(height),
             py: random.unit() * 2 * .pi, tint: (random.unit(), random.unit(), random.unit()))
        }
        let columns = waves.map { wave in (0..<width).map { sin(wave.fx * Double($0) + wave.px) } }
        let rows = waves.map { wave in (0..<height).map { sin(wave.fy * Double($0) + wave.py) } }
        let base = (90 + random.unit() * 60, 90 + random.unit() * 60, 90 + random.unit() * 60)
        for y in 0..<height {
            for x in 0..<width {
                var red = base.0, green = base.1, blue = base.2
                for (index, wave) in waves.enumerated() {
                    let value = wave.amplitude * columns[index][x] * rows[index][y]
                    red += value * (0.5 + wave.tint.0)
                    green += value * (0.5 + wave.tint.1)
                    blue += value * (0.5 + wave.tint.2)
                }
                let noise = Double(random.next() % 17) - 8
                let offset = (y * width + x) * 3
                image.pixels[offset] = Self.clamp(red + noise)
                image.pixels[offset + 1] = Self.clamp(green + noise)
                image.pixels[offset + 2] = Self.clamp(blue + noise)
            }
        }
        for (box, colour) in boxes {
            let (red, green, blue) = Self.classColours[colour % Self.classColours.count]
            let x0 = max(0, Int(box[0].rounded())), y0 = max(0, Int(box[1].rounded()))
            let x1 = min(width, Int((box[0] + box[2]).rounded())), y1 = min(height, Int((box[1] + box[3]).rounded()))
            guard x0 < x1, y0 < y1 else { continue }
            for y in y0..<y1 {
                for x in x0..<x1 {
                    let noise = Int(random.next() % 21) - 10
                    let offset = (y * width + x) * 3
                    image.pixels[offset] = Self.clamp(Double(Int(red) + noise))
                    image.pixels[offset + 1] = Self.clamp(Double(Int(green) + noise))
                    image.pixels[offset + 2] = Self.clamp(Double(Int(blue) + noise))
                }
            }
        }
        return image
    }

    static func clamp(_ value: Double) -> UInt8 { UInt8(max(0, min(255, value.rounded()))) }

    // MARK: Defects applied to pixels

    /// Every channel scaled by `factor` and offset by `offset`.
    static func adjusted(_ image: PixelImage, factor: Double, offset: Double) -> PixelImage {
        var out = image
        for index in out.pixels.indices { out.pixels[index] = clamp(Double(out.pixels[index]) * factor + offset) }
        return out
    }

    /// R = G = B = luma.
    static func greyscale(_ image: PixelImage) -> PixelImage {
        var out = image
        for index in stride(from: 0, to: out.pixels.count, by: 3) {
            let luma = clamp(0.299 * Double(out.pixels[index]) + 0.587 * Double(out.pixels[index + 1]) + 0.114 * Double(out.pixels[index + 2]))
            out.pixels[index] = luma
            out.pixels[index + 1] = luma
            out.pixels[index + 2] = luma
        }
        return out
    }

    /// A box blur of the given radius, applied three times (close to a Gaussian).
    static func blurred(_ image: PixelImage, radius: Int) -> PixelImage {
        var current = image
        let channels = image.channels
        for _ in 0..<3 {
            for horizontal in [true, false] {
                var next = current
                let (outer, inner) = horizontal ? (image.height, image.width) : (image.width, image.height)
                for o in 0..<outer {
                    for channel in 0..<channels {
                        func index(_ i: Int) -> Int {
                            (horizontal ? o * image.width + i : i * image.width + o) * channels + channel
                        }
                        var sum = 0, count = 0
                        for i in 0..<min(radius, inner) {
                            sum += Int(current.pixels[index(i)])
                            count += 1
                        }
                        for i in 0..<inner {
                            if i + radius < inner {
                                sum += Int(current.pixels[index(i + radius)])
                                count += 1
                            }
                            if i - radius - 1 >= 0 {
                                sum -= Int(current.pixels[index(i - radius - 1)])
                                count -= 1
                            }
                            next.pixels[index(i)] = UInt8(sum / max(1, count))
                        }
                    }
                }
                current = next
            }
        }
        return current
    }
}

/// A small, fast, seedable random generator (SplitMix64), so that a seed always gives the same dataset.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A uniform integer in the range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
