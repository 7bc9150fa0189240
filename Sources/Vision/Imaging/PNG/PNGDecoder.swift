import CPNG

/// Decodes PNG: grey, grey+alpha, RGB, RGBA, palette, 1–16-bit, interlaced. Output is 8-bit grey or RGB:
/// palettes expanded, 16-bit samples scaled, alpha dropped (not composited), as PDQ's reference does. The common
/// kinds go through ``WholeStreamPNGDecoder``; the rest, and every file it finds irregular, through libpng.
struct PNGDecoder {
    let decoder: ImageDecoder

    func decode(_ bytes: [UInt8]) throws(ImageDecodingFailure) -> DecodedImage {
        let whole = try bytes.withUnsafeBufferPointer { buffer throws(ImageDecodingFailure) in
            try WholeStreamPNGDecoder(decoder: decoder).decode(buffer)
        }
        if let whole { return whole }
        return try decodeWithLibpng(bytes)
    }

    /// Decodes through libpng alone.
    func decodeWithLibpng(_ bytes: [UInt8]) throws(ImageDecodingFailure) -> DecodedImage {
        var io = cpng_io()
        let result: Result<DecodedImage, ImageDecodingFailure> = bytes.withUnsafeBufferPointer { buffer in
            io.data = buffer.baseAddress
            io.size = buffer.count
            return withUnsafeMutablePointer(to: &io) { io in decode(io: io) }
        }
        return try result.get()
    }

    private func decode(io: UnsafeMutablePointer<cpng_io>) -> Result<DecodedImage, ImageDecodingFailure> {
        guard let reader = cpng_create_reader(io) else {
            return .failure(ImageDecodingFailure(.corrupt, "libpng could not start"))
        }
        let png: OpaquePointer = reader
        var readerSlot: OpaquePointer? = reader
        var info = png_create_info_struct(png)
        defer { png_destroy_read_struct(&readerSlot, &info, nil) }
        guard cpng_read_header(png, info) == 1 else {
            return .failure(failure(io))
        }
        let header = Self.header(png, info)
        do {
            try decoder.checkBudget(header)
        } catch {
            return .failure(error)
        }
        let channels = Int(cpng_request_8bit_grey_or_rgb(png, info))
        guard channels == 1 || channels == 3 else {
            return .failure(channels == 0 ? failure(io, header) : ImageDecodingFailure(
                .unsupported, "libpng gives \(channels) channels for \(header.storedColour)", header: header))
        }
        // libpng scales 16-bit samples and drops alpha row by row as it reads: only the 8-bit output is allocated.
        do {
            try decoder.checkAllowance(header, channels: channels)
        } catch {
            return .failure(error)
        }
        let stride = header.width * channels
        var pixels = [UInt8](repeating: 0, count: stride * header.height)
        let readAll = pixels.withUnsafeMutableBufferPointer { buffer in
            var rows = (0..<header.height).map { Optional(buffer.baseAddress! + $0 * stride) }
            return rows.withUnsafeMutableBufferPointer { cpng_read_rows(png, info, $0.baseAddress) }
        }
        guard readAll == 1 else { return .failure(failure(io, header)) }
        let image = PixelImage(width: header.width, height: header.height, colour: channels == 1 ? .grey : .rgb, pixels: pixels)
        return .success(DecodedImage(header: header, image: image))
    }

    private static func header(_ png: OpaquePointer, _ info: OpaquePointer?) -> ImageHeader {
        let colourType = Int32(png_get_color_type(png, info))
        let depth = Int(png_get_bit_depth(png, info))
        let hasTransparency = png_get_valid(png, info, UInt32(PNG_INFO_tRNS)) != 0
        let width = Int(png_get_image_width(png, info)), height = Int(png_get_image_height(png, info))
        guard let colour = PNGLayout.ColourType(rawValue: UInt8(truncatingIfNeeded: colourType)) else {
            return ImageHeader(
                format: .png, width: width, height: height, storedColour: "colour type \(colourType)",
                storesColour: true, hasAlpha: false)
        }
        return colour.header(width: width, height: height, bitDepth: depth, hasTransparency: hasTransparency)
    }

    private func failure(_ io: UnsafeMutablePointer<cpng_io>, _ header: ImageHeader? = nil) -> ImageDecodingFailure {
        let message = withUnsafeBytes(of: io.pointee.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let truncated = message.contains("Not enough image data") || message.contains("Read Error")
            || message.contains("ends before")
        return ImageDecodingFailure(truncated ? .truncated : .corrupt, "PNG: \(message)", header: header)
    }
}
