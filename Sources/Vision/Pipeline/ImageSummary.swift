import LightboxCrypto

/// What the checks keep of one image after it is decoded: its identity, size, hashes and measurements. The
/// pixels themselves are dropped, so memory does not grow with the dataset's pixel count.
public struct ImageSummary: Sendable {
    /// The path relative to the dataset root.
    public var path: String
    public var fileSize: Int
    public var fileDigest: ContentDigest
    /// SHA-256 of the file's bytes exactly as they were read and checked (empty when the file could not be read),
    /// so whoever relies on the check can tell that the bytes they hold are the ones checked.
    public var sha256: [UInt8] = []
    /// The header, when it could be read.
    public var header: ImageHeader?
    /// Why the image could not be decoded, if it could not.
    public var failure: ImageDecodingFailure?
    /// The decoded pixels' fingerprint (with the image's size), when decoded.
    public var pixelDigest: ContentDigest?
    public var pdq: PDQHasher.Result?
    /// The hashes of the image's seven rotations and flips (for finding a rotated or mirrored copy).
    public var pdqVariants: [PDQHash] = []
    public var measurements: ImageMeasurements?

    public var isDecoded: Bool { failure == nil && measurements != nil }

    /// The decoded pixels' fingerprint with their size and channels, `640x480x3:<32 hex digits>`: equal for the
    /// same pixels however the file encodes them.
    public var pixelFingerprint: String? {
        guard let pixelDigest, let header, failure == nil else { return nil }
        return "\(header.width)x\(header.height)x\(header.storesColour ? 3 : 1):\(pixelDigest.hex)"
    }
}

/// Reads, decodes, hashes and measures one image file.
public struct ImageAnalyzer: Sendable {
    public var decoder: ImageDecoder
    /// The memory decoding may hold, shared with every other analysis in the process; nil for no bound beyond the
    /// pixel budget.
    public var memory: DecodingBudget?

    public init(decoder: ImageDecoder = ImageDecoder(), memory: DecodingBudget? = nil) {
        self.decoder = decoder
        self.memory = memory
    }

    /// The summary of a file; a file that cannot be read or decoded gives a summary with a ``ImageSummary/failure``.
    public func analyze(path: String, bytes: [UInt8]) -> ImageSummary {
        let sha256 = SHA256.hash(bytes)
        var summary = ImageSummary(path: path, fileSize: bytes.count, fileDigest: ContentDigest(sha256: sha256))
        summary.sha256 = sha256
        do {
            let decoded = try decoder.decode(bytes)
            summary.header = decoded.header
            summary.pixelDigest = ContentDigest(decoded.image.pixels)
            let hashes = PDQHasher().dihedralHashes(decoded.image)
            summary.pdq = PDQHasher.Result(hash: hashes.original, quality: hashes.quality)
            summary.pdqVariants = Array(hashes.all.dropFirst())
            summary.measurements = ImageMeasurements(decoded.image)
        } catch {
            summary.header = error.header
            summary.failure = error
        }
        return summary
    }
}
