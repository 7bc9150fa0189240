/// Decodes PNG (libpng) and JPEG (libjpeg-turbo) files into 8-bit grey or RGB pixels.
///
/// The pixel budget is checked against the header before any pixel memory is allocated. Damaged, truncated and
/// unsupported files throw ``ImageDecodingFailure``; they never crash the process.
public struct ImageDecoder: Sendable {
    /// The most pixels (width × height) an image may have; Pillow's decompression-bomb error is at 179 MP.
    public var pixelBudget: Int

    /// 100 megapixels.
    public static let defaultPixelBudget = 100_000_000

    public init(pixelBudget: Int = ImageDecoder.defaultPixelBudget) {
        self.pixelBudget = pixelBudget
    }

    /// Decodes a file's bytes.
    /// - Throws: ``ImageDecodingFailure`` saying why it cannot.
    public func decode(_ bytes: [UInt8]) throws(ImageDecodingFailure) -> DecodedImage {
        switch ImageFileFormat.sniff(bytes) {
        case .png: return try PNGDecoder(pixelBudget: pixelBudget).decode(bytes)
        case .jpeg: return try JPEGDecoder(pixelBudget: pixelBudget).decode(bytes)
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
}
