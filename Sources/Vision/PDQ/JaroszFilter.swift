/// The Jarosz filter of PDQ's reference: a box filter along rows, then along columns, twice, with windows that
/// shrink at the edges, approximating a tent filter before decimation to 64×64.
///
/// Only the 64×64 samples of the result are used, so the second round computes no more than they need: its row
/// pass still runs along every whole row (each running sum depends on everything before it), but keeps only the
/// sampled columns, and its column pass runs down those 64 columns alone. Every value kept is computed with the
/// reference's operations in its order, so the samples are bit-identical to filtering the whole image (a test
/// compares them with a plain transcription of the reference).
enum JaroszFilter {
    /// The reference's window: `(old + 2·64 − 1) / (2·64)` in integer arithmetic.
    static func windowSize(old: Int, new: Int = 64) -> Int { (old + 2 * new - 1) / (2 * new) }

    /// The index a 64-point grid samples along a side of `length`: the centre of cell `cell`.
    static func sampled(_ cell: Int, of length: Int) -> Int { Int((Double(cell) + 0.5) * Double(length) / 64) }

    /// The filtered image at the centres of a 64×64 grid, row-major, from the caller's buffers of `rows × columns`
    /// floats: `luma` holds the image and is overwritten, `scratch` is working space.
    static func samples(
        luma: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) -> [Float] {
        let alongRows = windowSize(old: columns), alongColumns = windowSize(old: rows)
        // Which of the 64 sampled columns each column is (a range: several when the image is narrower than 64).
        var slots = [Int](repeating: 0, count: columns + 1)
        for cell in 0..<64 { slots[sampled(cell, of: columns) + 1] = cell + 1 }
        for column in 0..<columns { slots[column + 1] = max(slots[column + 1], slots[column]) }
        var kept = [Float](unsafeUninitializedCapacity: rows * 64) { _, initialised in initialised = rows * 64 }
        var keptFiltered = [Float](unsafeUninitializedCapacity: rows * 64) { _, initialised in initialised = rows * 64 }
        rowPass(luma, scratch, rows: rows, columns: columns, window: alongRows, slots: nil)
        boxColumns(scratch, luma, rows: rows, columns: columns, window: alongColumns)
        kept.withUnsafeMutableBufferPointer { kept in
            slots.withUnsafeBufferPointer { slots in
                rowPass(luma, kept.baseAddress!, rows: rows, columns: columns, window: alongRows, slots: slots.baseAddress!)
            }
            keptFiltered.withUnsafeMutableBufferPointer { filtered in
                boxColumns(kept.baseAddress!, filtered.baseAddress!, rows: rows, columns: 64, window: alongColumns)
            }
        }
        return [Float](unsafeUninitializedCapacity: 64 * 64) { out, initialised in
            for cell in 0..<64 {
                let row = sampled(cell, of: rows) * 64
                for column in 0..<64 { out[cell * 64 + column] = keptFiltered[row + column] }
            }
            initialised = 64 * 64
        }
    }

    /// The box filter along every row of `input` into `output`: every column (`slots` nil, output rows of
    /// `columns`), or only the sampled ones (output rows of 64; column c goes to cells slots[c]..<slots[c+1]).
    private static func rowPass(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, rows: Int, columns: Int, window: Int,
        slots: UnsafePointer<Int>?
    ) {
        let outputStride = slots == nil ? columns : 64
        // Eight rows at a time in SIMD lanes: each lane does exactly one row's reference arithmetic, but eight
        // dependent chains run side by side instead of one.
        let columnVectors = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: columns)
        let filtered = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: columns)
        defer {
            columnVectors.deallocate()
            filtered.deallocate()
        }
        var row = 0
        while row + 8 <= rows {
            boxEightRows(
                input + row * columns, output + row * outputStride, columns, outputStride, window, slots, columnVectors,
                filtered)
            row += 8
        }
        while row < rows {
            boxRow(input + row * columns, output + row * outputStride, columns, window, slots)
            row += 1
        }
    }

    /// The reference's `box1DFloat` along one contiguous row.
    private static func boxRow(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ length: Int, _ window: Int,
        _ slots: UnsafePointer<Int>?
    ) {
        @inline(__always) func store(_ value: Float, _ column: Int) {
            guard let slots else { return output[column] = value }
            for cell in slots[column]..<slots[column + 1] { output[cell] = value }
        }
        let half = (window + 2) / 2
        var sum: Float = 0
        var count = 0
        var left = 0, right = 0, out = 0
        for _ in 0..<(half - 1) {
            sum += input[right]
            count += 1
            right += 1
        }
        for _ in 0..<(window - half + 1) {
            sum += input[right]
            count += 1
            store(sum / Float(count), out)
            right += 1
            out += 1
        }
        for _ in 0..<max(0, length - window) {
            sum += input[right]
            sum -= input[left]
            store(sum / Float(count), out)
            left += 1
            right += 1
            out += 1
        }
        for _ in 0..<(half - 1) {
            sum -= input[left]
            count -= 1
            store(sum / Float(count), out)
            left += 1
            out += 1
        }
    }

    /// ``boxRow`` on eight consecutive rows at once, one per SIMD lane. The eight rows are first transposed,
    /// four columns at a time, into one vector per column (`columnVectors`), so that the filter's loads and
    /// stores are whole vectors; the result is transposed back (or, with `slots`, only the sampled columns kept).
    private static func boxEightRows(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ length: Int, _ outputStride: Int,
        _ window: Int, _ slots: UnsafePointer<Int>?, _ columnVectors: UnsafeMutablePointer<SIMD8<Float>>,
        _ filtered: UnsafeMutablePointer<SIMD8<Float>>
    ) {
        transposeIn(input, length, columnVectors)
        let half = (window + 2) / 2
        var sum = SIMD8<Float>(repeating: 0)
        var count = 0
        var left = 0, right = 0, out = 0
        for _ in 0..<(half - 1) {
            sum += columnVectors[right]
            count += 1
            right += 1
        }
        for _ in 0..<(window - half + 1) {
            sum += columnVectors[right]
            count += 1
            filtered[out] = sum / SIMD8(repeating: Float(count))
            right += 1
            out += 1
        }
        let divisor = SIMD8<Float>(repeating: Float(count))
        for _ in 0..<max(0, length - window) {
            sum += columnVectors[right]
            sum -= columnVectors[left]
            filtered[out] = sum / divisor
            left += 1
            right += 1
            out += 1
        }
        for _ in 0..<(half - 1) {
            sum -= columnVectors[left]
            count -= 1
            filtered[out] = sum / SIMD8(repeating: Float(count))
            left += 1
            out += 1
        }
        if let slots {
            for column in 0..<length where slots[column] < slots[column + 1] {
                let value = filtered[column]
                for cell in slots[column]..<slots[column + 1] {
                    for lane in 0..<8 { output[lane * outputStride + cell] = value[lane] }
                }
            }
        } else {
            transposeOut(filtered, length, output, outputStride)
        }
    }

    @inline(__always)
    private static func transpose(
        _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>, _ d: SIMD4<Float>
    ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        (SIMD4(a[0], b[0], c[0], d[0]), SIMD4(a[1], b[1], c[1], d[1]), SIMD4(a[2], b[2], c[2], d[2]),
         SIMD4(a[3], b[3], c[3], d[3]))
    }

    /// Eight rows of `length` at `input` (row-major) to one vector per column.
    private static func transposeIn(_ input: UnsafePointer<Float>, _ length: Int, _ vectors: UnsafeMutablePointer<SIMD8<Float>>) {
        let raw = UnsafeRawPointer(input)
        @inline(__always) func load(_ row: Int, _ column: Int) -> SIMD4<Float> {
            raw.loadUnaligned(fromByteOffset: (row * length + column) * 4, as: SIMD4<Float>.self)
        }
        var column = 0
        while column + 4 <= length {
            let low = transpose(load(0, column), load(1, column), load(2, column), load(3, column))
            let high = transpose(load(4, column), load(5, column), load(6, column), load(7, column))
            vectors[column] = SIMD8(lowHalf: low.0, highHalf: high.0)
            vectors[column + 1] = SIMD8(lowHalf: low.1, highHalf: high.1)
            vectors[column + 2] = SIMD8(lowHalf: low.2, highHalf: high.2)
            vectors[column + 3] = SIMD8(lowHalf: low.3, highHalf: high.3)
            column += 4
        }
        while column < length {
            vectors[column] = SIMD8(
                input[column], input[length + column], input[2 * length + column], input[3 * length + column],
                input[4 * length + column], input[5 * length + column], input[6 * length + column],
                input[7 * length + column])
            column += 1
        }
    }

    /// One vector per column back to eight rows (row-major, rows `stride` apart).
    private static func transposeOut(
        _ vectors: UnsafePointer<SIMD8<Float>>, _ length: Int, _ output: UnsafeMutablePointer<Float>, _ stride: Int
    ) {
        let raw = UnsafeMutableRawPointer(output)
        @inline(__always) func store(_ value: SIMD4<Float>, _ row: Int, _ column: Int) {
            raw.storeBytes(of: value, toByteOffset: (row * stride + column) * 4, as: SIMD4<Float>.self)
        }
        var column = 0
        while column + 4 <= length {
            let a = vectors[column], b = vectors[column + 1], c = vectors[column + 2], d = vectors[column + 3]
            let low = transpose(a.lowHalf, b.lowHalf, c.lowHalf, d.lowHalf)
            let high = transpose(a.highHalf, b.highHalf, c.highHalf, d.highHalf)
            store(low.0, 0, column); store(low.1, 1, column); store(low.2, 2, column); store(low.3, 3, column)
            store(high.0, 4, column); store(high.1, 5, column); store(high.2, 6, column); store(high.3, 7, column)
            column += 4
        }
        while column < length {
            for lane in 0..<8 { output[lane * stride + column] = vectors[column][lane] }
            column += 1
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
        let divisor = Float(count)
        for _ in 0..<max(0, rows - window) {
            // add, subtract and write in one sweep: each column's sum still adds, then subtracts, then divides.
            let adding = input + right * columns, subtracting = input + left * columns, target = output + out * columns
            for column in 0..<columns {
                let sum = sums[column] + adding[column] - subtracting[column]
                sums[column] = sum
                target[column] = sum / divisor
            }
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
