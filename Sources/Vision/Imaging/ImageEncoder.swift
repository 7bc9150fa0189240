import CJPEG
import CPNG
import Glibc

/// Encodes pixels as PNG (libpng) or JPEG (libjpeg-turbo): for contact sheets and generated datasets.
public enum ImageEncoder {
    /// PNG bytes of an image. `compressionLevel` is zlib's, 0…9.
    public static func png(_ image: PixelImage, compressionLevel: Int = 6) throws(VisionError) -> [UInt8] {
        var io = cpng_io()
        let stride = image.width * image.channels
        let written = image.pixels.withUnsafeBufferPointer { buffer in
            var rows = (0..<image.height).map { Optional(UnsafeMutablePointer(mutating: buffer.baseAddress! + $0 * stride)) }
            return rows.withUnsafeMutableBufferPointer { rows in
                cpng_write_image(
                    &io, UInt32(image.width), UInt32(image.height), Int32(image.channels), rows.baseAddress,
                    Int32(compressionLevel))
            }
        }
        defer { free(io.output) }
        guard written == 1, let output = io.output else {
            let message = withUnsafeBytes(of: io.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw VisionError(.encodeFailed, "PNG encoding failed: \(message)")
        }
        return Array(UnsafeBufferPointer(start: output, count: io.output_size))
    }

    /// JPEG bytes of an image at a quality of 1…100.
    public static func jpeg(_ image: PixelImage, quality: Int = 90) throws(VisionError) -> [UInt8] {
        var errors = cjpeg_errors()
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let written = image.pixels.withUnsafeBufferPointer { buffer in
            cjpeg_write_image(
                buffer.baseAddress, UInt32(image.width), UInt32(image.height), Int32(image.channels),
                Int32(max(1, min(100, quality))), &output, &size, &errors)
        }
        defer { free(output) }
        guard written == 1, let output else {
            let message = withUnsafeBytes(of: errors.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw VisionError(.encodeFailed, "JPEG encoding failed: \(message)")
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
