/// COCO's run-length arithmetic, as pycocotools' `maskApi.c` does it, so figures agree with the COCO tools.
extension RunLengthMask {
    /// A mask from its compressed counts string; nil when the string is not one (see ``decodeCounts(_:)``).
    public init?(height: Int, width: Int, compressedCounts: String) {
        guard let counts = Self.decodeCounts(compressedCounts) else { return nil }
        self.init(height: height, width: width, counts: counts, wasCompressed: true)
    }

    /// A mask from pixels in column-major order (COCO's order: down the first column, then the next), any
    /// non-zero byte counting as set; pycocotools `rleEncode`.
    public init(height: Int, width: Int, columnMajorPixels pixels: [UInt8], compressed: Bool = true) {
        var counts: [Int] = []
        var previous: UInt8 = 0
        var run = 0
        for pixel in pixels {
            let value: UInt8 = pixel == 0 ? 0 : 1
            if value != previous {
                counts.append(run)
                run = 0
                previous = value
            }
            run += 1
        }
        counts.append(run)
        self.init(height: height, width: width, counts: counts, wasCompressed: compressed)
    }

    /// Decodes COCO's compressed counts (pycocotools `rleFrString`): each count is written in 5-bit groups, low
    /// group first, as the characters `0`...`o` (value + 48), with 0x20 marking that another group follows and 0x10
    /// in the last group the sign; from the fourth count on, each is a difference from the count two before it.
    ///
    /// Nil when a character is outside `0`...`o`, the string ends inside a count, a count needs more than 60 bits,
    /// or a count comes out negative or above 2³² − 1.
    public static func decodeCounts(_ string: String) -> [Int]? {
        var counts: [Int] = []
        var iterator = string.utf8.makeIterator()
        while let first = iterator.next() {
            var byte = first
            var value = 0
            var groups = 0
            while true {
                guard byte >= 48, byte <= 111, groups < 12 else { return nil }
                let group = Int(byte - 48)
                value |= (group & 0x1F) << (5 * groups)
                groups += 1
                if group & 0x20 == 0 {
                    if group & 0x10 != 0 { value |= -1 << (5 * groups) }
                    break
                }
                guard let next = iterator.next() else { return nil }
                byte = next
            }
            if counts.count > 2 {
                // A hostile string can make the running sums overflow; pycocotools' counts are 32-bit.
                let (sum, overflow) = value.addingReportingOverflow(counts[counts.count - 2])
                guard !overflow else { return nil }
                value = sum
            }
            guard value >= 0, value <= Int(UInt32.max) else { return nil }
            counts.append(value)
        }
        return counts
    }

    /// Encodes counts as COCO's compressed string (pycocotools `rleToString`).
    public static func encodeCounts(_ counts: [Int]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(counts.count * 2)
        for index in counts.indices {
            var value = counts[index]
            if index > 2 { value -= counts[index - 2] }
            var more = true
            while more {
                var group = value & 0x1F
                value >>= 5
                more = group & 0x10 != 0 ? value != -1 : value != 0
                if more { group |= 0x20 }
                out.append(UInt8(group + 48))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``counts`` as COCO's compressed string.
    public var compressedCounts: String { Self.encodeCounts(counts) }

    /// The number of set pixels: the sum of the odd-index runs (pycocotools `rleArea`).
    public var area: Int {
        stride(from: 1, to: counts.count, by: 2).reduce(0) { $0 &+ counts[$1] }
    }

    /// The number of pixels the runs cover (saturating at `Int.max`); equal to `height × width` in a well-formed
    /// mask.
    public var decodedPixelCount: Int {
        var total = 0
        for run in counts {
            let (sum, overflow) = total.addingReportingOverflow(run)
            if overflow { return Int.max }
            total = sum
        }
        return total
    }

    /// `height × width`, or nil when either is negative or the product overflows.
    public var declaredPixelCount: Int? {
        guard height >= 0, width >= 0 else { return nil }
        let (product, overflow) = height.multipliedReportingOverflow(by: width)
        return overflow ? nil : product
    }

    /// Whether no run is negative and the runs cover exactly `height × width` pixels.
    public var hasConsistentSize: Bool {
        counts.allSatisfy { $0 >= 0 } && declaredPixelCount == decodedPixelCount
    }

    /// An `annotation.malformed` finding when the runs do not cover `height × width` pixels (the mask cannot be
    /// decoded), else nil. The COCO reader reports this for every mask it reads.
    public func sizeFinding(at location: SourceLocation) -> Finding? {
        guard !hasConsistentSize else { return nil }
        return Finding(
            .malformedAnnotation, item: location.description,
            message: "the RLE mask's counts cover \(decodedPixelCount) pixels but its size [\(height), \(width)] "
                + "has \(declaredPixelCount.map(String.init) ?? "no valid number of"); re-encode the mask so its runs "
                + "add up to height × width",
            details: ["pixels": .int(decodedPixelCount), "height": .int(height), "width": .int(width)])
    }

    /// The box around the set pixels, `[x, y, width, height]`, as pycocotools (2.0.8 and later) `rleToBbox`
    /// computes it: a trailing run of 0s is ignored, a run of 1s that crosses a column spans the full height.
    /// `[0, 0, 0, 0]` when no pixel is set or the height is not positive (where pycocotools gives zeros for fewer
    /// than two runs and wrapped 32-bit values otherwise).
    public var boundingBox: [Double] {
        let pairs = counts.count / 2 * 2
        guard pairs > 0, height > 0, height <= UInt32.max else { return [0, 0, 0, 0] }
        let h = UInt32(height)
        var xs = UInt32(truncatingIfNeeded: width)
        var ys = h
        var xe: UInt32 = 0
        var ye: UInt32 = 0
        var cc: UInt32 = 0
        var anySet = false
        for j in 0..<pairs {
            let start = cc
            cc &+= UInt32(truncatingIfNeeded: counts[j])
            guard j % 2 == 1, counts[j] != 0 else { continue }
            anySet = true
            let yStart = start % h
            let xStart = (start &- yStart) / h
            let yEnd = (cc &- 1) % h
            let xEnd = (cc &- 1 &- yEnd) / h
            xs = min(xs, xStart)
            xe = max(xe, xEnd)
            if xStart < xEnd {
                ys = 0
                ye = h &- 1
            } else {
                ys = min(ys, yStart)
                ye = max(ye, yEnd)
            }
        }
        guard anySet else { return [0, 0, 0, 0] }
        return [Double(xs), Double(ys), Double(xe &- xs &+ 1), Double(ye &- ys &+ 1)]
    }

    /// The pixels in column-major order, 0 or 1; nil when the runs do not cover `height × width` pixels or there
    /// are more than `maximumPixels`.
    public func columnMajorPixels(maximumPixels: Int = 1 << 30) -> [UInt8]? {
        guard hasConsistentSize, let total = declaredPixelCount, total <= maximumPixels else { return nil }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(total)
        for (index, run) in counts.enumerated() {
            pixels.append(contentsOf: repeatElement(UInt8(index % 2), count: run))
        }
        return pixels
    }

    /// The union of masks of one size (pycocotools `rleMerge` without `intersect`); nil when there are none,
    /// their sizes differ, or one has no runs or runs that do not cover exactly its size.
    public static func union(_ masks: [RunLengthMask]) -> RunLengthMask? {
        guard let first = masks.first, !first.counts.isEmpty else { return nil }
        if masks.count == 1 { return first }
        for mask in masks {
            guard mask.height == first.height, mask.width == first.width, !mask.counts.isEmpty,
                mask.hasConsistentSize
            else { return nil }
        }
        var merged = first.counts
        for other in masks.dropFirst() {
            merged = mergeCounts(merged, other.counts)
        }
        return RunLengthMask(
            height: first.height, width: first.width, counts: merged, wasCompressed: first.wasCompressed)
    }

    private static func mergeCounts(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        var ca = a[0]
        var cb = b[0]
        var va = false
        var vb = false
        var v = false
        var ia = 1
        var ib = 1
        var cc = 0
        var ct = 1
        while ct > 0 {
            let c = min(ca, cb)
            cc += c
            ct = 0
            ca -= c
            if ca == 0 && ia < a.count {
                ca = a[ia]
                ia += 1
                va.toggle()
            }
            ct += ca
            cb -= c
            if cb == 0 && ib < b.count {
                cb = b[ib]
                ib += 1
                vb.toggle()
            }
            ct += cb
            let vp = v
            v = va || vb
            if v != vp || ct == 0 {
                out.append(cc)
                cc = 0
            }
        }
        return out
    }
}
