/// Decodes PNG (libpng) and JPEG (libjpeg-turbo) files into 8-bit grey or RGB pixels.
///
/// The pixel budget is checked against the header before any pixel memory is allocated. Damaged, truncated and
/// unsupported files throw ``ImageDecodingFailure``; they never crash the process.
public struct ImageDecoder: Sendable {
    /// The most pixels (width × height) an image may have; Pillow's decompression-bomb error is at 179 MP.
    public var pixelBudget: Int

    /// The bytes the caller has set aside for this image's pixels and hashing buffers (see ``DecodingBudget``); an
    /// image whose header asks for more is refused before anything is allocated. Nil for no bound beyond the pixel
    /// budget.
    public var pixelAllowance: Int?

    /// 100 megapixels.
    public static let defaultPixelBudget = 100_000_000

    public init(pixelBudget: Int = ImageDecoder.defaultPixelBudget, pixelAllowance: Int? = nil) {
        self.pixelBudget = pixelBudget
        self.pixelAllowance = pixelAllowance
    }

    /// Decodes a file's bytes.
    /// - Throws: ``ImageDecodingFailure`` saying why it cannot.
    public func decode(_ bytes: [UInt8]) throws(ImageDecodingFailure) -> DecodedImage {
        switch ImageFileFormat.sniff(bytes) {
        case .png: return try PNGDecoder(decoder: self).decode(bytes)
        case .jpeg: return try JPEGDecoder(decoder: self).decode(bytes)
        case nil:
            throw ImageDecodingFailure(
                bytes.isEmpty ? .truncated : .notAnImage,
                bytes.isEmpty ? "the file is empty" : "not a PNG or JPEG file (its first bytes are neither signature)")
        }
    }

    func checkBudget(_ header: ImageHeader) throws(ImageDecodingFailure) {
        guard header.width > 0, header.height > 0 else {
            throw ImageDecodingFailure(.corrupt, "the header gives a size of \(header.width)×\(header.height)")
        }
        guard header.width.multipliedReportingOverflow(by: header.height).partialValue <= pixelBudget,
            header.width <= pixelBudget, header.height <= pixelBudget
        else {
            throw ImageDecodingFailure(
                .overPixelBudget,
                "\(header.width)×\(header.height) is \(header.width * header.height) pixels, over the budget of "
                    + "\(pixelBudget); raise --pixel-budget or downscale the image", header: header)
        }
    }

    /// Checks that an image of `header` decoded to `channels` fits the memory set aside for it.
    /// - Throws: ``ImageDecodingFailure`` `.overPixelBudget` when it does not.
    func checkAllowance(_ header: ImageHeader, channels: Int) throws(ImageDecodingFailure) {
        guard let pixelAllowance else { return }
        let bytes = DecodingBudget.pixelBytes(width: header.width, height: header.height, channels: channels)
        guard bytes <= pixelAllowance else {
            throw ImageDecodingFailure(
                .overPixelBudget,
                "checking \(header.width)×\(header.height) pixels needs \(bytes >> 20) MiB, more than the "
                    + "\(pixelAllowance >> 20) MiB set aside for it within the memory limit", header: header)
        }
    }
}
