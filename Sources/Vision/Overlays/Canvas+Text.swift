extension Canvas {
    /// Draws `text` in ``BitmapFont`` with its top-left corner at `(x, y)`, every font pixel `scale`×`scale` canvas
    /// pixels (scale is clamped to 1…64); a line break starts a new line ``BitmapFont/lineHeight``×`scale` lower.
    ///
    /// With `background`, a box of that colour is filled first around the text, `scale` pixels beyond it on every
    /// side: a label. Returns the rectangle drawn over, label box included (empty for empty text).
    @discardableResult
    public mutating func drawText(
        _ text: String, x: Int, y: Int, scale: Int = 1, colour: RGBColour, background: RGBColour? = nil
    ) -> CanvasRect {
        let scale = BitmapFont.clampedScale(scale)
        let limit = 1 << 40
        let x = min(max(x, -limit), limit)
        let y = min(max(y, -limit), limit)
        let lineCount = text.isEmpty ? 0 : text.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
        let textWidth = BitmapFont.width(of: text, scale: scale)
        let textHeight = BitmapFont.height(lines: lineCount, scale: scale)
        guard textWidth > 0 else { return CanvasRect(x: x, y: y, width: 0, height: 0) }
        let padding = background == nil ? 0 : scale
        let drawn = CanvasRect(
            x: x - padding, y: y - padding, width: textWidth + 2 * padding, height: textHeight + 2 * padding)
        withRaster { raster in
            if let background {
                raster.fill(x - padding, y - padding, x + textWidth + padding, y + textHeight + padding, background)
            }
            let advance = BitmapFont.cellWidth * scale
            let glyphHeight = BitmapFont.cellHeight * scale
            var penX = x
            var penY = y
            for character in text {
                if character.isNewline {
                    penX = x
                    penY += BitmapFont.lineHeight * scale
                    continue
                }
                defer { penX += advance }
                guard penX < raster.x1, penX + advance > raster.x0, penY < raster.y1, penY + glyphHeight > raster.y0
                else {
                    continue
                }
                let bits = BitmapFont.bits(of: character)
                for row in 0..<BitmapFont.cellHeight {
                    let rowBits = Int(truncatingIfNeeded: bits >> UInt64(56 - 8 * row)) & 0x1F
                    guard rowBits != 0 else { continue }
                    let top = penY + row * scale
                    for column in 0..<BitmapFont.glyphWidth where rowBits & (0x10 >> column) != 0 {
                        let left = penX + column * scale
                        raster.fill(left, top, left + scale, top + scale, colour)
                    }
                }
            }
        }
        return drawn
    }

    /// Draws a one-line label for `box` (e.g. a class name on an annotation box): text on a filled box of
    /// `background`, placed just above the box's top-left corner, or inside its top edge when there is no room
    /// above, and moved as needed to stay on the canvas (inside ``clip`` when set). Text that would be wider than
    /// that is cut and ends in `...`; line breaks are drawn as `?`. `textColour` defaults to black or white,
    /// whichever reads better on `background`.
    ///
    /// Returns the label's rectangle, or nil, drawing nothing, when the text is empty or `box` has a NaN or infinite
    /// number or lies wholly off the canvas (outside ``clip``): a label with no box to point at would mislead.
    @discardableResult
    public mutating func drawLabel(
        _ text: String, for box: CanvasRect, scale: Int = 1, background: RGBColour, textColour: RGBColour? = nil
    ) -> CanvasRect? {
        let area = drawableBounds
        guard !text.isEmpty, let bounds = box.pixelBounds, bounds.x0 < area.x1, bounds.x1 > area.x0,
            bounds.y0 < area.y1, bounds.y1 > area.y0
        else { return nil }
        let scale = BitmapFont.clampedScale(scale)
        let padding = scale
        let oneLine = String(text.map { $0.isNewline ? "?" : $0 })
        let fitted = BitmapFont.truncated(oneLine, toWidth: area.x1 - area.x0 - 2 * padding, scale: scale)
        let label = fitted.isEmpty ? String(oneLine.prefix(1)) : fitted
        let labelWidth = BitmapFont.width(of: label, scale: scale) + 2 * padding
        let labelHeight = BitmapFont.height(lines: 1, scale: scale) + 2 * padding
        let left = max(min(bounds.x0, area.x1 - labelWidth), area.x0)
        let above = bounds.y0 - labelHeight
        let top = max(min(above >= area.y0 ? above : bounds.y0, area.y1 - labelHeight), area.y0)
        return drawText(
            label, x: left + padding, y: top + padding, scale: scale,
            colour: textColour ?? background.contrastingText, background: background)
    }
}
