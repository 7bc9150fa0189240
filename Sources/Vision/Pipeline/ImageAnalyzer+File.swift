import Foundation
import LightboxCrypto

extension ImageAnalyzer {
    /// The largest image file read; anything larger is reported rather than read.
    public static let maximumFileSize = 1 << 30

    /// Reads and analyses the image file at `fullPath` (`path` is how the summary names it). With a
    /// ``DecodingBudget``, everything the analysis will hold — the file's bytes, its pixels and the hashing
    /// buffers, sized from its header before anything is decoded — is reserved at once, before the file is read,
    /// and given back when the analysis ends. One reservation per image, taken whole, so no analysis ever waits
    /// while holding part of the budget.
    public func analyze(file fullPath: String, path: String) -> ImageSummary {
        func failed(_ kind: ImageDecodingFailure.Kind, _ message: String, size: Int) -> ImageSummary {
            var summary = ImageSummary(path: path, fileSize: size, fileDigest: ContentDigest(sha256: SHA256.hash([])))
            summary.failure = ImageDecodingFailure(kind, message)
            return summary
        }
        let descriptor = open(fullPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return failed(.corrupt, "the file cannot be read (permissions?)", size: 0) }
        defer { close(descriptor) }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        guard size <= Self.maximumFileSize else {
            return failed(.overPixelBudget, "the file is \(size) bytes, over the 1 GiB limit", size: size)
        }
        var decoder = self.decoder
        var reservation: DecodingBudget.Reservation?
        if let memory {
            // An image whose size cannot be read from its header is given nothing for pixels: if it decodes at all,
            // the decoder refuses it before allocating.
            let pixels = ImageHeaderPeek.size(of: descriptor).map {
                DecodingBudget.pixelBytes(width: $0.width, height: $0.height, channels: $0.channels)
            } ?? 0
            let (need, overflow) = size.addingReportingOverflow(pixels)
            guard !overflow, let held = memory.reserve(need) else {
                return failed(
                    .overPixelBudget,
                    "checking this image needs \(overflow ? "more" : "\(need >> 20)") MiB (its file, pixels and hashing buffers), over the memory limit of \(memory.limit >> 20) MiB; downscale it or raise vision.memory-limit",
                    size: size)
            }
            reservation = held
            decoder.pixelAllowance = pixels
        }
        guard let bytes = WholeFileReader.read(descriptor, expectedSize: size) else {
            return failed(.corrupt, "the file cannot be read (permissions?)", size: size)
        }
        let summary = ImageAnalyzer(decoder: decoder).analyze(path: path, bytes: bytes)
        withExtendedLifetime(reservation) {}
        return summary
    }
}
