import CJPEG

/// Decodes JPEG through libjpeg-turbo into 8-bit grey (for greyscale JPEGs) or RGB. CMYK and YCCK JPEGs are
/// unsupported. A file that ends early is reported as truncated even though libjpeg fills the rest with grey.
struct JPEGDecoder {
    let decoder: ImageDecoder

    func decode(_ bytes: [UInt8]) throws(ImageDecodingFailure) -> DecodedImage {
        let decompressor = JPEGDecompressor()
        return try bytes.withUnsafeBufferPointer { buffer throws(ImageDecodingFailure) in
            try decompressor.decode(buffer, decoder: decoder)
        }
    }
}

/// Owns libjpeg's decompressor and error manager, at fixed heap addresses (libjpeg keeps pointers to both
/// between calls); freed in deinit.
private final class JPEGDecompressor {
    let cinfo = UnsafeMutablePointer<jpeg_decompress_struct>.allocate(capacity: 1)
    let errors = UnsafeMutablePointer<cjpeg_errors>.allocate(capacity: 1)
    private var created = false

    init() {
        cinfo.initialize(to: jpeg_decompress_struct())
        errors.initialize(to: cjpeg_errors())
    }

    deinit {
        if created { jpeg_destroy_decompress(cinfo) }
        cinfo.deallocate()
        errors.deallocate()
    }

    func decode(_ buffer: UnsafeBufferPointer<UInt8>, decoder: ImageDecoder) throws(ImageDecodingFailure) -> DecodedImage {
        let opened = cjpeg_open(cinfo, errors, buffer.baseAddress, UInt(buffer.count))
        created = true
        guard opened == 1 else { throw failure(header: nil) }
        let grey = cinfo.pointee.jpeg_color_space == JCS_GRAYSCALE
        let header = ImageHeader(
            format: .jpeg, width: Int(cinfo.pointee.image_width), height: Int(cinfo.pointee.image_height),
            storedColour: Self.colourName(cinfo.pointee.jpeg_color_space), storesColour: !grey, hasAlpha: false)
        if cinfo.pointee.jpeg_color_space == JCS_CMYK || cinfo.pointee.jpeg_color_space == JCS_YCCK {
            throw ImageDecodingFailure(
                .unsupported, "\(header.storedColour) JPEGs are not supported; convert the image to RGB", header: header)
        }
        try decoder.checkBudget(header)
        cinfo.pointee.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB
        let channels = grey ? 1 : 3
        try decoder.checkAllowance(header, channels: channels)
        let stride = header.width * channels
        var readAll: Int32 = 0
        // Not zeroed first: libjpeg writes every row, and a failed read throws the buffer away.
        let pixels = [UInt8](unsafeUninitializedCapacity: stride * header.height) { buffer, initialised in
            readAll = cjpeg_read_all(cinfo, buffer.baseAddress, stride)
            initialised = buffer.count
        }
        guard readAll == 1 else { throw failure(header: header) }
        let warning = Self.text(errors.pointee.warning)
        if errors.pointee.truncated != 0 {
            throw ImageDecodingFailure(.truncated, "JPEG: \(warning)", header: header)
        }
        if errors.pointee.corrupt != 0 {
            throw ImageDecodingFailure(.corrupt, "JPEG: the data is damaged (\(warning))", header: header)
        }
        let image = PixelImage(width: header.width, height: header.height, colour: grey ? .grey : .rgb, pixels: pixels)
        return DecodedImage(header: header, image: image)
    }

    private func failure(header: ImageHeader?) -> ImageDecodingFailure {
        var message = Self.text(errors.pointee.message)
        let warning = Self.text(errors.pointee.warning)
        // At the end of the data libjpeg warns and inserts an end marker, then fails on what is missing.
        let truncated = errors.pointee.truncated != 0 || message.contains("Premature end") || message.contains("Empty")
        if message.isEmpty { message = "the header is incomplete" }
        if truncated, !warning.isEmpty { message = "\(warning) (\(message))" }
        return ImageDecodingFailure(truncated ? .truncated : .corrupt, "JPEG: \(message)", header: header)
    }

    private static func text<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func colourName(_ space: J_COLOR_SPACE) -> String {
        switch space {
        case JCS_GRAYSCALE: "grey"
        case JCS_YCbCr: "YCbCr"
        case JCS_RGB: "RGB"
        case JCS_CMYK: "CMYK"
        case JCS_YCCK: "YCCK"
        default: "colour space \(space.rawValue)"
        }
    }
}
