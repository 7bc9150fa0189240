/// PNG's five row filters (ISO/IEC 15948 §9), reversed in place. Sub, Average and Paeth predict each byte from
/// the one a pixel to its left, a chain through the row; for 3- and 4-byte pixels (8-bit RGB, RGBA, 16-bit
/// grey+alpha) the chain is run a whole pixel at a time in SIMD lanes, carried in registers rather than read
/// back from memory.
enum PNGRowFilters {
    /// Reverses filter `type` on the `count` bytes at `row`, given the previous row already reversed (all zeros for
    /// the first row). False for a filter type that does not exist (above 4).
    static func reverse(
        _ type: UInt8, row: UnsafeMutablePointer<UInt8>, previous: UnsafePointer<UInt8>, count: Int, distance: Int
    ) -> Bool {
        switch type {
        case 0: return true
        case 1: sub(row, count, distance)
        case 2: up(row, previous, count)
        case 3: average(row, previous, count, distance)
        case 4: paeth(row, previous, count, distance)
        default: return false
        }
        return true
    }

    private static func up(_ row: UnsafeMutablePointer<UInt8>, _ previous: UnsafePointer<UInt8>, _ count: Int) {
        for index in 0..<count { row[index] &+= previous[index] }
    }

    private static func sub(_ row: UnsafeMutablePointer<UInt8>, _ count: Int, _ distance: Int) {
        if distance == 3 || distance == 4 {
            return pixelwise(row, nil, count, distance) { raw, left, _, _ in raw &+ left }
        }
        guard count > distance else { return }
        for index in distance..<count { row[index] &+= row[index - distance] }
    }

    private static func average(
        _ row: UnsafeMutablePointer<UInt8>, _ previous: UnsafePointer<UInt8>, _ count: Int, _ distance: Int
    ) {
        if distance == 3 || distance == 4 {
            return pixelwise(row, previous, count, distance) { raw, left, above, _ in raw &+ ((left &+ above) &>> 1) }
        }
        for index in 0..<min(distance, count) { row[index] &+= previous[index] >> 1 }
        guard count > distance else { return }
        for index in distance..<count {
            row[index] &+= UInt8(truncatingIfNeeded: (UInt16(row[index - distance]) &+ UInt16(previous[index])) >> 1)
        }
    }

    private static func paeth(
        _ row: UnsafeMutablePointer<UInt8>, _ previous: UnsafePointer<UInt8>, _ count: Int, _ distance: Int
    ) {
        if distance == 3 || distance == 4 {
            return pixelwise(row, previous, count, distance) { raw, left, above, upperLeft in
                raw &+ predictor(left, above, upperLeft)
            }
        }
        // With nothing to the left, Paeth predicts from above.
        for index in 0..<min(distance, count) { row[index] &+= previous[index] }
        guard count > distance else { return }
        for index in distance..<count {
            row[index] &+= predictor(row[index - distance], previous[index], previous[index - distance])
        }
    }

    /// Paeth's predictor: whichever of left, above and upper-left is nearest to left + above − upper-left, ties
    /// going in that order.
    @inline(__always)
    static func predictor(_ left: UInt8, _ above: UInt8, _ upperLeft: UInt8) -> UInt8 {
        let a = Int(left), b = Int(above), c = Int(upperLeft)
        let towardsLeft = abs(b - c), towardsAbove = abs(a - c), towardsUpperLeft = abs(a + b - 2 * c)
        if towardsLeft <= towardsAbove && towardsLeft <= towardsUpperLeft { return left }
        return towardsAbove <= towardsUpperLeft ? above : upperLeft
    }

    /// The same predictor on every lane.
    @inline(__always)
    static func predictor(_ left: SIMD4<Int16>, _ above: SIMD4<Int16>, _ upperLeft: SIMD4<Int16>) -> SIMD4<Int16> {
        func magnitude(_ value: SIMD4<Int16>) -> SIMD4<Int16> { pointwiseMax(value, 0 &- value) }
        let towardsLeft = magnitude(above &- upperLeft), towardsAbove = magnitude(left &- upperLeft)
        let towardsUpperLeft = magnitude(left &+ above &- upperLeft &- upperLeft)
        var prediction = upperLeft
        prediction.replace(with: above, where: towardsAbove .<= towardsUpperLeft)
        prediction.replace(with: left, where: (towardsLeft .<= towardsAbove) .& (towardsLeft .<= towardsUpperLeft))
        return prediction
    }

    /// Runs `reconstruct(raw, left, above, upperLeft)` over the row one 3- or 4-byte pixel at a time, the bytes
    /// of a pixel in SIMD lanes (a fourth lane, for 3-byte pixels, is computed and never stored). Bytes left of
    /// the first pixel and, with no previous row, above it are zeros. Results are taken modulo 256.
    @inline(__always)
    private static func pixelwise(
        _ row: UnsafeMutablePointer<UInt8>, _ previous: UnsafePointer<UInt8>?, _ count: Int, _ distance: Int,
        _ reconstruct: (SIMD4<Int16>, SIMD4<Int16>, SIMD4<Int16>, SIMD4<Int16>) -> SIMD4<Int16>
    ) {
        let pixels = count / distance
        guard pixels > 0 else { return }
        @inline(__always) func load(_ pointer: UnsafePointer<UInt8>, _ pixel: Int, whole: Bool) -> SIMD4<Int16> {
            let at = pixel * distance
            // Four bytes are read for a 3-byte pixel except the last, whose fourth byte may lie past the buffer.
            if whole || distance == 4 {
                return SIMD4<Int16>(truncatingIfNeeded: UnsafeRawPointer(pointer + at).loadUnaligned(as: SIMD4<UInt8>.self))
            }
            return SIMD4(Int16(pointer[at]), Int16(pointer[at + 1]), Int16(pointer[at + 2]), 0)
        }
        @inline(__always) func store(_ value: SIMD4<Int16>, _ pixel: Int) {
            let bytes = SIMD4<UInt8>(truncatingIfNeeded: value)
            let at = row + pixel * distance
            at[0] = bytes[0]
            at[1] = bytes[1]
            at[2] = bytes[2]
            if distance == 4 { at[3] = bytes[3] }
        }
        var left = SIMD4<Int16>(repeating: 0), upperLeft = SIMD4<Int16>(repeating: 0)
        let mask = SIMD4<Int16>(repeating: 0xFF)
        for pixel in 0..<pixels {
            let whole = pixel + 1 < pixels
            let above = previous.map { load($0, pixel, whole: whole) } ?? .zero
            let value = reconstruct(load(row, pixel, whole: whole), left, above, upperLeft) & mask
            store(value, pixel)
            left = value
            upperLeft = above
        }
    }
}
