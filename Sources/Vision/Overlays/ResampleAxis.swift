/// How one axis of an image maps onto a resized axis: for each output pixel in a range, the input pixels it reads
/// and their weights in fixed point with ``shift`` fractional bits (summing to exactly `1 << shift`).
///
/// Shrinking averages areas: output pixel `i` covers input `[i·r, (i+1)·r)` with `r = input / output`, and each
/// input pixel weighs by how much of it lies inside. Enlarging (or keeping the size) takes the nearest input pixel.
struct ResampleAxis {
    /// The number of fractional bits of a weight.
    let shift: Int
    /// The output pixels described, a subrange of `0..<output`.
    let outputRange: Range<Int>
    /// Whether every output pixel reads exactly one input pixel (enlarging, or the same size).
    let isNearest: Bool
    /// Per output pixel (from `outputRange.lowerBound`): the first input pixel read.
    private(set) var firstInput: [Int] = []
    /// Per output pixel, and one past the last: where its taps start in ``weights``.
    private(set) var tapOffsets: [Int] = [0]
    /// The weights of consecutive input pixels, from each output pixel's `firstInput`.
    private(set) var weights: [Int] = []

    /// The input pixels read by the output pixels in `outputRange`.
    var inputRange: Range<Int> {
        guard let first = firstInput.first else { return 0..<0 }
        let lastTaps = tapOffsets[tapOffsets.count - 1] - tapOffsets[tapOffsets.count - 2]
        return first..<(firstInput[firstInput.count - 1] + lastTaps)
    }

    /// The tables as buffer pointers, for the inner loops.
    struct Tables {
        let shift: Int
        let isNearest: Bool
        /// The first input pixel of `inputRange`, which the caller's buffer starts at.
        let firstInputColumn: Int
        let firstInput: UnsafeBufferPointer<Int>
        let tapOffsets: UnsafeBufferPointer<Int>
        let weights: UnsafeBufferPointer<Int>
    }

    func withTables<R>(_ body: (Tables) -> R) -> R {
        let first = inputRange.lowerBound
        return firstInput.withUnsafeBufferPointer { firstInput in
            tapOffsets.withUnsafeBufferPointer { tapOffsets in
                weights.withUnsafeBufferPointer { weights in
                    body(
                        Tables(
                            shift: shift, isNearest: isNearest, firstInputColumn: first, firstInput: firstInput,
                            tapOffsets: tapOffsets, weights: weights))
                }
            }
        }
    }

    init(input: Int, output: Int, outputRange: Range<Int>, shift: Int) {
        precondition(input > 0 && output > 0 && outputRange.lowerBound >= 0 && outputRange.upperBound <= output)
        self.shift = shift
        self.outputRange = outputRange
        isNearest = output >= input
        let one = 1 << shift
        firstInput.reserveCapacity(outputRange.count)
        tapOffsets.reserveCapacity(outputRange.count + 1)
        if isNearest {
            weights = [Int](repeating: one, count: outputRange.count)
            for i in outputRange {
                // The input pixel whose span contains the output pixel's centre.
                let source = min(input - 1, Int((Double(i) + 0.5) * Double(input) / Double(output)))
                firstInput.append(source)
                tapOffsets.append(tapOffsets.count)
            }
            return
        }
        let ratio = Double(input) / Double(output)
        weights.reserveCapacity(outputRange.count * (Int(ratio.rounded(.up)) + 1))
        for i in outputRange {
            let low = Double(i) * ratio
            let high = min(Double(input), Double(i + 1) * ratio)
            let first = min(input - 1, Int(low))
            let end = max(first + 1, min(input, Int(high.rounded(.up))))
            let start = weights.count
            var total = 0
            var largest = start
            for j in first..<end {
                let overlap = min(high, Double(j + 1)) - max(low, Double(j))
                let weight = max(0, Int((overlap / ratio * Double(one)).rounded()))
                weights.append(weight)
                total += weight
                if weight > weights[largest] { largest = weights.count - 1 }
            }
            // Rounding can leave the sum a unit or two off; the largest weight absorbs it so flat areas stay flat.
            weights[largest] += one - total
            firstInput.append(first)
            tapOffsets.append(weights.count)
        }
    }
}
