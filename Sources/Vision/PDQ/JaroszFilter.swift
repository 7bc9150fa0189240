/// The Jarosz filter of PDQ's reference: a box filter applied twice along rows, then along columns, with windows
/// that shrink at the edges. It approximates a tent filter before decimation to 64×64.
enum JaroszFilter {
    /// The reference's window: `(old + 2·64 − 1) / (2·64)` in integer arithmetic.
    static func windowSize(old: Int, new: Int = 64) -> Int { (old + 2 * new - 1) / (2 * new) }

    /// Two passes of rows-then-columns box filtering, in place.
    ///
    /// A row pass is done as a column pass of the transposed image: each row still sees exactly the reference's
    /// sequence of additions and divisions, but the work runs across many lines at once (vectorised) instead of
    /// one dependent chain at a time.
    static func apply(to buffer: inout [Float], rows: Int, columns: Int, windowAlongRows: Int, windowAlongColumns: Int) {
        var transposed = [Float](repeating: 0, count: buffer.count)
        var filtered = [Float](repeating: 0, count: buffer.count)
        for _ in 0..<2 {
            transpose(buffer, into: &transposed, rows: rows, columns: columns)
            transposed.withUnsafeBufferPointer { input in
                filtered.withUnsafeMutableBufferPointer { output in
                    boxColumns(input.baseAddress!, output.baseAddress!, rows: columns, columns: rows, window: windowAlongRows)
                }
            }
            transpose(filtered, into: &transposed, rows: columns, columns: rows)
            transposed.withUnsafeBufferPointer { input in
                buffer.withUnsafeMutableBufferPointer { output in
                    boxColumns(input.baseAddress!, output.baseAddress!, rows: rows, columns: columns, window: windowAlongColumns)
                }
            }
        }
    }

    /// `output[c][r] = input[r][c]`, in cache-sized tiles.
    private static func transpose(_ input: [Float], into output: inout [Float], rows: Int, columns: Int) {
        let tile = 32
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for rowStart in stride(from: 0, to: rows, by: tile) {
                    let rowEnd = min(rowStart + tile, rows)
                    for columnStart in stride(from: 0, to: columns, by: tile) {
                        let columnEnd = min(columnStart + tile, columns)
                        for row in rowStart..<rowEnd {
                            for column in columnStart..<columnEnd {
                                target[column * rows + row] = source[row * columns + column]
                            }
                        }
                    }
                }
            }
        }
    }

    /// `box1DFloat` down every column at once: each column's operations are the reference's, in its order, but
    /// the image is walked row by row (a column walk with a large stride thrashes the cache).
    private static func boxColumns(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, rows: Int, columns: Int, window: Int
    ) {
        let half = (window + 2) / 2
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: columns)
        var count = 0
        var left = 0, right = 0, out = 0
        func add(_ row: Int) {
            let source = input + row * columns
            for column in 0..<columns { sums[column] += source[column] }
        }
        func subtract(_ row: Int) {
            let source = input + row * columns
            for column in 0..<columns { sums[column] -= source[column] }
        }
        func write(_ row: Int) {
            let target = output + row * columns
            let divisor = Float(count)
            for column in 0..<columns { target[column] = sums[column] / divisor }
        }
        for _ in 0..<(half - 1) {
            add(right)
            count += 1
            right += 1
        }
        for _ in 0..<(window - half + 1) {
            add(right)
            count += 1
            write(out)
            right += 1
            out += 1
        }
        for _ in 0..<max(0, rows - window) {
            add(right)
            subtract(left)
            write(out)
            left += 1
            right += 1
            out += 1
        }
        for _ in 0..<(half - 1) {
            subtract(left)
            count -= 1
            write(out)
            left += 1
            out += 1
        }
    }
}
