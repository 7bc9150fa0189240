/// Meta's PDQ perceptual hash, computed exactly as the reference C++ (`pdq/cpp/hashing/pdqhashing.cpp`) does on
/// the whole image (no 512-pixel pre-resize): float luma, two passes of the Jarosz box filter, decimation to
/// 64×64, the image-domain quality metric, a 16×16 DCT and bits above the median.
///
/// Every float operation is done in the reference's order and precision, so hashes are bit-identical to it.
public struct PDQHasher: Sendable {
    /// A hash with its quality (0…100); Meta discards hashes of quality below 50.
    public struct Result: Sendable, Hashable {
        public var hash: PDQHash
        public var quality: Int
    }

    /// The hash and its seven dihedral variants (rotations and flips of the image), from one DCT.
    public struct DihedralResult: Sendable {
        public var original: PDQHash
        public var rotate90: PDQHash
        public var rotate180: PDQHash
        public var rotate270: PDQHash
        public var flipX: PDQHash
        public var flipY: PDQHash
        public var flipPlus1: PDQHash
        public var flipMinus1: PDQHash
        public var quality: Int

        /// All eight, the original first.
        public var all: [PDQHash] { [original, rotate90, rotate180, rotate270, flipX, flipY, flipPlus1, flipMinus1] }
    }

    public init() {}

    /// Images smaller than this on either side hash to zero with quality 0.
    static let minimumDimension = 5

    /// The hash of an image.
    public func hash(_ image: PixelImage) -> Result {
        guard let (coefficients, quality) = coefficients(image) else { return Result(hash: .zero, quality: 0) }
        return Result(hash: Self.bits(coefficients), quality: quality)
    }

    /// The hash of an image and of its seven rotations and flips.
    public func dihedralHashes(_ image: PixelImage) -> DihedralResult {
        guard let (a, quality) = coefficients(image) else {
            return DihedralResult(
                original: .zero, rotate90: .zero, rotate180: .zero, rotate270: .zero, flipX: .zero, flipY: .zero,
                flipPlus1: .zero, flipMinus1: .zero, quality: 0)
        }
        // Sign changes and transposes of the DCT coefficients (pdqhashing.cpp, dct16OriginalTo…).
        func transformed(transpose: Bool, negate: (Int, Int) -> Bool) -> PDQHash {
            var b = [Float](repeating: 0, count: 256)
            for i in 0..<16 {
                for j in 0..<16 {
                    let value = negate(i, j) ? -a[i * 16 + j] : a[i * 16 + j]
                    b[transpose ? j * 16 + i : i * 16 + j] = value
                }
            }
            return Self.bits(b)
        }
        return DihedralResult(
            original: Self.bits(a),
            rotate90: transformed(transpose: true) { _, j in j & 1 == 0 },
            rotate180: transformed(transpose: false) { i, j in (i + j) & 1 == 1 },
            rotate270: transformed(transpose: true) { i, _ in i & 1 == 0 },
            flipX: transformed(transpose: false) { i, _ in i & 1 == 0 },
            flipY: transformed(transpose: false) { _, j in j & 1 == 0 },
            flipPlus1: transformed(transpose: true) { _, _ in false },
            flipMinus1: transformed(transpose: true) { i, j in (i + j) & 1 == 1 },
            quality: quality)
    }

    /// The 16×16 DCT coefficients (row-major) and the quality, or nil for an image too small to hash.
    private func coefficients(_ image: PixelImage) -> ([Float], Int)? {
        let rows = image.height
        let columns = image.width
        guard rows >= Self.minimumDimension, columns >= Self.minimumDimension else { return nil }
        let workspace = PDQWorkspace.current
        defer { workspace.finished() }
        let (luma, scratch) = workspace.buffers(count: rows * columns)
        Self.luma(image, into: luma)
        let decimated = JaroszFilter.samples(luma: luma, scratch: scratch, rows: rows, columns: columns)
        return (PDQDCT.dct64To16(decimated), Self.quality(decimated))
    }

    /// Luma as the reference computes it: 0.299·R + 0.587·G + 0.114·B in float, left to right; grey as is.
    static func luma(_ image: PixelImage, into luma: UnsafeMutablePointer<Float>) {
        let count = image.width * image.height
        image.pixels.withUnsafeBufferPointer { pixels in
            switch image.colour {
            case .grey:
                for index in 0..<count { luma[index] = Float(pixels[index]) }
            case .rgb:
                let red: Float = 0.299, green: Float = 0.587, blue: Float = 0.114
                for index in 0..<count {
                    let base = index * 3
                    luma[index] = red * Float(pixels[base]) + green * Float(pixels[base + 1])
                        + blue * Float(pixels[base + 2])
                }
            }
        }
    }

    /// The reference's image-domain quality: the sum of truncated scaled differences of neighbours, over 90.
    static func quality(_ buffer: [Float]) -> Int {
        var gradientSum = 0
        for i in 0..<63 {
            for j in 0..<64 {
                let d = Int((buffer[i * 64 + j] - buffer[(i + 1) * 64 + j]) * 100 / 255)
                gradientSum += abs(d)
            }
        }
        for i in 0..<64 {
            for j in 0..<63 {
                let d = Int((buffer[i * 64 + j] - buffer[i * 64 + j + 1]) * 100 / 255)
                gradientSum += abs(d)
            }
        }
        return min(gradientSum / 90, 100)
    }

    /// Bit (i, j) is set when coefficient (i, j) is above the median (the 128th smallest, as Torben's method gives).
    static func bits(_ coefficients: [Float]) -> PDQHash {
        let median = Self.lowerMedian(coefficients)
        var words = SIMD4<UInt64>.zero
        for k in 0..<256 where coefficients[k] > median {
            words[k / 64] |= 1 << UInt64(k % 64)
        }
        return PDQHash(words: words)
    }

    /// The lower median, the 128th smallest of 256 values (what `sorted()[127]` gives), by quickselect: the same value without
    /// sorting all 256, eight times per image.
    static func lowerMedian(_ coefficients: [Float]) -> Float {
        var values = coefficients
        let target = 127
        return values.withUnsafeMutableBufferPointer { values in
            var low = 0, high = values.count - 1
            while low < high {
                let pivot = values[(low + high) / 2]
                var i = low, j = high
                while i <= j {
                    while values[i] < pivot { i += 1 }
                    while values[j] > pivot { j -= 1 }
                    if i <= j {
                        values.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if target <= j {
                    high = j
                } else if target >= i {
                    low = i
                } else {
                    break
                }
            }
            return values[target]
        }
    }
}
