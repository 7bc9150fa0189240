extension ImageMeasurements {
    /// Tallies the samples of an image with `channels` (1 or 3) per pixel, every `step`th pixel of every `step`th
    /// row: grey and brightness histograms, each cell's count, sum and sum of squares of grey, and the 4-neighbour
    /// Laplacian of grey at interior samples. Returns whether every sample had R = G = B.
    @inline(__always)
    static func sample(
        _ pixels: UnsafePointer<UInt8>, channels: Int, width: Int, height: Int, step: Int,
        cellOfColumn: UnsafePointer<Int>, squares1000: UnsafeMutablePointer<Float>,
        brightness: UnsafeMutablePointer<Int>, grey greyCounts: UnsafeMutablePointer<Int>,
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
            var rowSamples = 0
            for x in stride(from: 0, to: width, by: step) {
                let offset = y &* rowStride &+ x &* channels
                let centre = grey(offset)
                greyCounts[centre] &+= 1
                let cell = cellRow &+ cellOfColumn[x]
                cellCounts[cell] &+= 1
                cellSums[cell] &+= centre
                cellSquares[cell] &+= centre &* centre
                if channels == 1 {
                    brightness[centre] &+= 1
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
            }
            if channels != 1 { tallyBrightness(squares1000, count: rowSamples, into: brightness) }
        }
        laplacian = (sum, squares, count)
        return isGreyscale
    }

    /// Counts `count` colour samples into the brightness histogram: each level is √(0.001 × square) rounded, eight
    /// at a time with the same single-precision operations per lane as one at a time, so the levels are exactly those.
    @inline(__always)
    static func tallyBrightness(
        _ squares1000: UnsafeMutablePointer<Float>, count: Int, into brightness: UnsafeMutablePointer<Int>
    ) {
        var index = 0
        while index &+ 8 <= count {
            let squared = UnsafeRawPointer(squares1000 + index).loadUnaligned(as: SIMD8<Float>.self) * 0.001
            let levels = squared.squareRoot() + 0.5
            for lane in 0..<8 {
                brightness[min(255, Int(levels[lane]))] &+= 1
            }
            index &+= 8
        }
        while index < count {
            let squared = squares1000[index] * 0.001
            brightness[min(255, Int(squared.squareRoot() + 0.5))] &+= 1
            index &+= 1
        }
    }
}
