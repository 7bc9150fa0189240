import CDeflate

/// Decodes the common PNGs — 8- and 16-bit grey, grey+alpha, RGB and RGBA, not interlaced — without libpng: the
/// IDAT chunks' zlib stream is inflated whole by libdeflate (libpng inflates through zlib a row at a time, which
/// was a third of a dataset check's time), the rows are unfiltered in place, and samples are reduced to 8-bit grey
/// or RGB exactly as ``PNGDecoder``'s libpng transforms do (alpha dropped, 16-bit scaled by libpng's formula).
///
/// Whatever it does not cover or finds irregular — palettes, bit depths below 8, Adam7, a bad CRC, a zlib stream
/// that does not give exactly the image's bytes, an unknown filter — gives nil, and libpng decodes the file
/// (and words any error). A test compares the two sample by sample over generated images of every kind.
struct WholeStreamPNGDecoder {
    let decoder: ImageDecoder

    func decode(_ file: UnsafeBufferPointer<UInt8>) throws(ImageDecodingFailure) -> DecodedImage? {
        guard let layout = PNGLayout(file), !layout.interlaced, layout.bitDepth >= 8, layout.colourType != .palette
        else { return nil }
        let header = layout.imageHeader
        try decoder.checkBudget(header)
        let channels = layout.colourType == .grey || layout.colourType == .greyAlpha ? 1 : 3
        try decoder.checkAllowance(header, channels: channels)
        let stride = layout.rowBytes + 1
        let (inflatedCount, overflow) = stride.multipliedReportingOverflow(by: layout.height)
        guard !overflow else { return nil }
        let outputCount = layout.width * layout.height * channels
        let inPlace = layout.bitDepth == 8 && layout.colourType.samples == channels
        if let allowance = decoder.pixelAllowance {
            // libpng streams; inflating whole holds the compressed stream (when split into chunks), the inflated
            // rows and, unless the pixels are reduced in place, the output beside them.
            let joined = layout.imageData.count > 1 ? layout.imageDataCount : 0
            guard joined + inflatedCount + (inPlace ? 0 : outputCount) <= allowance else { return nil }
        }
        guard var rows = Self.inflate(file, layout, count: inflatedCount),
            Self.unfilter(&rows, layout, stride: stride)
        else { return nil }
        let pixels: [UInt8]
        if inPlace {
            Self.dropFilterBytes(&rows, layout, stride: stride)
            pixels = rows
        } else {
            pixels = Self.reduce(rows, layout, stride: stride, channels: channels)
        }
        let image = PixelImage(width: layout.width, height: layout.height, colour: channels == 1 ? .grey : .rgb, pixels: pixels)
        return DecodedImage(header: header, image: image)
    }

    /// The zlib stream inflated whole; nil unless it gives exactly `count` bytes and is used up.
    private static func inflate(_ file: UnsafeBufferPointer<UInt8>, _ layout: PNGLayout, count: Int) -> [UInt8]? {
        guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        func inflate(_ stream: UnsafeRawBufferPointer) -> [UInt8]? {
            var succeeded = false
            let rows = [UInt8](unsafeUninitializedCapacity: count) { output, initialised in
                var consumed = 0, produced = 0
                let result = libdeflate_zlib_decompress_ex(
                    decompressor, stream.baseAddress, stream.count, output.baseAddress, count, &consumed, &produced)
                succeeded = result == LIBDEFLATE_SUCCESS && consumed == stream.count && produced == count
                initialised = succeeded ? count : 0
            }
            return succeeded ? rows : nil
        }
        if layout.imageData.count == 1 {
            return inflate(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file[layout.imageData[0]])))
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(layout.imageDataCount)
        for chunk in layout.imageData { joined.append(contentsOf: file[chunk]) }
        return joined.withUnsafeBytes { inflate($0) }
    }

    /// Reverses every row's filter in place; false for an unknown filter type.
    private static func unfilter(_ rows: inout [UInt8], _ layout: PNGLayout, stride: Int) -> Bool {
        let zeros = [UInt8](repeating: 0, count: layout.rowBytes)
        return rows.withUnsafeMutableBufferPointer { buffer in
            zeros.withUnsafeBufferPointer { zeros in
                let base = buffer.baseAddress!
                for row in 0..<layout.height {
                    let start = base + row * stride
                    let previous = row == 0 ? zeros.baseAddress! : UnsafePointer(start - layout.rowBytes)
                    guard PNGRowFilters.reverse(
                        start[0], row: start + 1, previous: previous, count: layout.rowBytes,
                        distance: layout.filterDistance)
                    else { return false }
                }
                return true
            }
        }
    }

    /// 8-bit samples already in the output's channels: each row moved down over the filter bytes.
    private static func dropFilterBytes(_ pixels: inout [UInt8], _ layout: PNGLayout, stride: Int) {
        pixels.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for row in 0..<layout.height {
                (base + row * layout.rowBytes).update(from: base + row * stride + 1, count: layout.rowBytes)
            }
        }
        pixels.removeLast(layout.height)
    }

    /// Alpha dropped and 16-bit samples scaled to 8 into a new buffer.
    private static func reduce(_ rows: [UInt8], _ layout: PNGLayout, stride: Int, channels: Int) -> [UInt8] {
        let samples = layout.colourType.samples
        let sampleBytes = layout.bitDepth / 8
        let pixelCount = layout.width
        return [UInt8](unsafeUninitializedCapacity: layout.width * layout.height * channels) { output, initialised in
            rows.withUnsafeBufferPointer { input in
                var target = 0
                for row in 0..<layout.height {
                    var source = row * stride + 1
                    for _ in 0..<pixelCount {
                        for channel in 0..<channels {
                            let at = source + channel * sampleBytes
                            output[target + channel] =
                                sampleBytes == 1 ? input[at] : Self.scaled(high: input[at], low: input[at + 1])
                        }
                        target += channels
                        source += samples * sampleBytes
                    }
                }
            }
            initialised = layout.width * layout.height * channels
        }
    }

    /// libpng's `png_set_scale_16`: a 16-bit sample to the nearest 8-bit one, as `png_do_scale_16_to_8` computes it.
    @inline(__always)
    static func scaled(high: UInt8, low: UInt8) -> UInt8 {
        let value = Int(high)
        return UInt8(truncatingIfNeeded: value + (((Int(low) - value + 128) * 65535) >> 24))
    }
}

extension PNGLayout {
    /// The header ``PNGDecoder`` reports for this file.
    var imageHeader: ImageHeader {
        colourType.header(width: width, height: height, bitDepth: bitDepth, hasTransparency: hasTransparency)
    }
}

extension PNGLayout.ColourType {
    /// The header of a PNG of this colour type, however it is decoded: named like "16-bit RGBA", with alpha when
    /// the type has it or a tRNS chunk gives it.
    func header(width: Int, height: Int, bitDepth: Int, hasTransparency: Bool) -> ImageHeader {
        ImageHeader(
            format: .png, width: width, height: height, storedColour: name(bitDepth: bitDepth),
            storesColour: self != .grey && self != .greyAlpha,
            hasAlpha: self == .greyAlpha || self == .rgba || hasTransparency)
    }

    /// How a header names a stored colour model, e.g. "16-bit RGBA".
    func name(bitDepth: Int) -> String {
        let model =
            switch self {
            case .grey: "grey"
            case .greyAlpha: "grey+alpha"
            case .rgb: "RGB"
            case .rgba: "RGBA"
            case .palette: "palette"
            }
        return "\(bitDepth)-bit \(model)"
    }
}
