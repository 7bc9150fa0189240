extension Canvas {
    /// Draws `source` (grey or RGB) as large as fits inside `target` without changing its aspect ratio, centred in
    /// it: shrunk by averaging areas (each canvas pixel the mean of the source pixels it covers, partial ones
    /// weighted) or enlarged by nearest pixel. The parts outside the canvas (or ``clip``) are skipped, and cost
    /// nothing.
    ///
    /// Returns where the image went, in whole pixels, even when that is partly or wholly off the canvas; a point
    /// `(u, v)` of `source` lands at `(placed.x + u · placed.width / source.width, placed.y + v · placed.height /
    /// source.height)`, which is how annotation boxes are mapped onto a thumbnail. Nil, drawing nothing, when
    /// `source` is empty or `target` has a NaN or infinite number.
    @discardableResult
    public mutating func blit(_ source: PixelImage, fittingInto target: CanvasRect) -> CanvasRect? {
        guard source.width > 0, source.height > 0, let bounds = target.pixelBounds else { return nil }
        let targetWidth = bounds.x1 - bounds.x0
        let targetHeight = bounds.y1 - bounds.y0
        let factor = min(Double(targetWidth) / Double(source.width), Double(targetHeight) / Double(source.height))
        let placedWidth = min(targetWidth, max(1, Int((Double(source.width) * factor).rounded())))
        let placedHeight = min(targetHeight, max(1, Int((Double(source.height) * factor).rounded())))
        let left = bounds.x0 + (targetWidth - placedWidth) / 2
        let top = bounds.y0 + (targetHeight - placedHeight) / 2
        let placed = CanvasRect(x: left, y: top, width: placedWidth, height: placedHeight)

        let area = drawableBounds
        let firstColumn = max(0, area.x0 - left)
        let endColumn = min(placedWidth, area.x1 - left)
        let firstRow = max(0, area.y0 - top)
        let endRow = min(placedHeight, area.y1 - top)
        guard firstColumn < endColumn, firstRow < endRow else { return placed }
        let visibleColumns = firstColumn..<endColumn
        let visibleRows = firstRow..<endRow
        let horizontal = ResampleAxis(
            input: source.width, output: placedWidth, outputRange: visibleColumns, shift: Canvas.horizontalShift)
        // 8-bit vertical weights keep the vertical sums in 16-bit lanes, twice as many per vector instruction as
        // 32-bit ones. Beyond 16 source rows per canvas row they get coarse (a weight near 16/256 rounded by up to
        // 1/512), so such shrinking uses 12-bit weights and 32-bit sums.
        let coarseVertical = source.height <= 16 * placedHeight
        let vertical = ResampleAxis(
            input: source.height, output: placedHeight, outputRange: visibleRows, shift: coarseVertical ? 8 : 12)
        withRaster { raster in
            Canvas.resample(source, horizontal: horizontal, vertical: vertical, into: raster, left: left, top: top)
        }
        return placed
    }

    /// One canvas row at a time: the source rows it covers are summed with their vertical weights into a row of
    /// 8.8 fixed-point values (plain loops over contiguous bytes, which the compiler vectorises), then each canvas
    /// pixel sums its columns of that row with the horizontal weights. Weights sum to exactly `1 << shift`, so no sum
    /// exceeds 255 · 2^shift and the wrapping arithmetic in the loops never wraps.
    private static func resample(
        _ source: PixelImage, horizontal: ResampleAxis, vertical: ResampleAxis, into raster: Raster, left: Int,
        top: Int
    ) {
        let channels = source.channels
        let sourceStride = source.width * channels
        let rowOffset = horizontal.inputRange.lowerBound * channels
        let rowLength = horizontal.inputRange.count * channels
        let firstCanvasColumn = left + horizontal.outputRange.lowerBound
        let canvasStride = raster.width * 3
        let visibleBytes = horizontal.outputRange.count * 3
        let wide = vertical.shift > 8
        var row = [UInt16](repeating: 0, count: rowLength)
        var wideRow = [UInt32](repeating: 0, count: wide ? rowLength : 0)

        source.pixels.withUnsafeBufferPointer { pixels in
            row.withUnsafeMutableBufferPointer { row in
                wideRow.withUnsafeMutableBufferPointer { wideRow in
                    horizontal.withTables { columns in
                        for (n, outputRow) in vertical.outputRange.enumerated() {
                            let start = (top + outputRow) * canvasStride + firstCanvasColumn * 3
                            if vertical.isNearest, n > 0, vertical.firstInput[n] == vertical.firstInput[n - 1],
                                let canvas = raster.pixels.baseAddress
                            {
                                // Enlarging: this canvas row repeats the one above.
                                (canvas + start).update(from: canvas + (start - canvasStride), count: visibleBytes)
                                continue
                            }
                            let taps = vertical.tapOffsets[n]..<vertical.tapOffsets[n + 1]
                            let base = vertical.firstInput[n] * sourceStride + rowOffset
                            if wide {
                                sumRows(pixels, base, sourceStride, vertical.weights, taps, into: wideRow)
                                let rounding = UInt32(1 << (vertical.shift - 9))
                                let down = UInt32(vertical.shift - 8)
                                for k in 0..<rowLength {
                                    row[k] = UInt16(truncatingIfNeeded: (wideRow[k] &+ rounding) >> down)
                                }
                            } else {
                                sumRows(pixels, base, sourceStride, vertical.weights, taps, into: row)
                            }
                            resampleRow(
                                UnsafeBufferPointer(row), channels: channels, columns: columns,
                                into: raster.pixels, at: start)
                        }
                    }
                }
            }
        }
    }

    /// `into[k] = Σ weights[t] · pixels[base + (t - taps.lowerBound) · stride + k]` over `taps`, for every `k`.
    @inline(__always)
    private static func sumRows<Sum: FixedWidthInteger & UnsignedInteger>(
        _ pixels: UnsafeBufferPointer<UInt8>, _ base: Int, _ stride: Int, _ weights: [Int], _ taps: Range<Int>,
        into sums: UnsafeMutableBufferPointer<Sum>
    ) {
        var base = base
        for t in taps {
            let weight = Sum(truncatingIfNeeded: weights[t])
            if t == taps.lowerBound {
                for k in 0..<sums.count { sums[k] = weight &* Sum(truncatingIfNeeded: pixels[base &+ k]) }
            } else {
                for k in 0..<sums.count { sums[k] &+= weight &* Sum(truncatingIfNeeded: pixels[base &+ k]) }
            }
            base &+= stride
        }
    }

    /// The fractional bits of horizontal weights.
    private static let horizontalShift = 12

    /// One canvas row from a row of 8.8 fixed-point values: each visible canvas pixel, from `start` in `canvas`, is
    /// the weighted sum of its source columns (`columns`, 12-bit weights), rounded to 8 bits. Grey becomes RGB.
    @inline(__always)
    private static func resampleRow(
        _ row: UnsafeBufferPointer<UInt16>, channels: Int, columns: ResampleAxis.Tables,
        into canvas: UnsafeMutableBufferPointer<UInt8>, at start: Int
    ) {
        let shift = horizontalShift + 8
        let half = 1 << (shift - 1)
        let firstColumn = columns.firstInputColumn
        var o = start
        if columns.isNearest {
            // Weight one: the 8.8 value rounded to 8 bits.
            for c in 0..<columns.firstInput.count {
                let p = (columns.firstInput[c] &- firstColumn) &* channels
                let red = UInt8(truncatingIfNeeded: min(255, (Int(row[p]) &+ 128) &>> 8))
                canvas[o] = red
                canvas[o &+ 1] =
                    channels == 3 ? UInt8(truncatingIfNeeded: min(255, (Int(row[p &+ 1]) &+ 128) &>> 8)) : red
                canvas[o &+ 2] =
                    channels == 3 ? UInt8(truncatingIfNeeded: min(255, (Int(row[p &+ 2]) &+ 128) &>> 8)) : red
                o &+= 3
            }
        } else if channels == 3 {
            for c in 0..<columns.firstInput.count {
                var p = (columns.firstInput[c] &- firstColumn) &* 3
                var r = half
                var g = half
                var b = half
                for t in columns.tapOffsets[c]..<columns.tapOffsets[c &+ 1] {
                    let w = columns.weights[t]
                    r &+= w &* Int(row[p])
                    g &+= w &* Int(row[p &+ 1])
                    b &+= w &* Int(row[p &+ 2])
                    p &+= 3
                }
                canvas[o] = UInt8(truncatingIfNeeded: min(255, r &>> shift))
                canvas[o &+ 1] = UInt8(truncatingIfNeeded: min(255, g &>> shift))
                canvas[o &+ 2] = UInt8(truncatingIfNeeded: min(255, b &>> shift))
                o &+= 3
            }
        } else {
            for c in 0..<columns.firstInput.count {
                var p = columns.firstInput[c] &- firstColumn
                var v = half
                for t in columns.tapOffsets[c]..<columns.tapOffsets[c &+ 1] {
                    v &+= columns.weights[t] &* Int(row[p])
                    p &+= 1
                }
                let grey = UInt8(truncatingIfNeeded: min(255, v &>> shift))
                canvas[o] = grey
                canvas[o &+ 1] = grey
                canvas[o &+ 2] = grey
                o &+= 3
            }
        }
    }
}
