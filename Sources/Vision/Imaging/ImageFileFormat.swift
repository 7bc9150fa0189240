/// The image file formats Lightbox decodes, recognised by their first bytes.
public enum ImageFileFormat: String, Sendable, Hashable {
    case png
    case jpeg

    /// The format the bytes start with, or nil.
    public static func sniff(_ bytes: [UInt8]) -> ImageFileFormat? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Whether a file name has an image extension (.png, .jpg, .jpeg; any case).
    public static func hasImageExtension(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".png") || lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")
    }
}

/// What an image file says about itself before its pixels are decoded.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFileFormat
    public var width: Int
    public var height: Int
    /// The stored colour model, e.g. "8-bit RGBA", "16-bit grey", "palette", "YCbCr".
    public var storedColour: String
    /// Whether the file stores colour (RGB, palette, YCbCr) rather than grey.
    public var storesColour: Bool
    public var hasAlpha: Bool

    public var pixelCount: Int { width * height }
}

/// A decoded image with its header.
public struct DecodedImage: Sendable {
    public var header: ImageHeader
    public var image: PixelImage
}

/// Why an image could not be decoded; the pipeline turns it into a finding.
public struct ImageDecodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The file is not a PNG or a JPEG.
        case notAnImage
        /// A PNG or JPEG of a kind the decoders do not handle (CMYK JPEG, for one).
        case unsupported
        /// More pixels than the pixel budget; nothing was allocated.
        case overPixelBudget
        /// The file ends before its image data does.
        case truncated
        /// The data is damaged: a bad checksum, bad compressed data, an invalid header.
        case corrupt
    }

    public var kind: Kind
    public var message: String
    /// The size, when the header could be read.
    public var header: ImageHeader?

    public init(_ kind: Kind, _ message: String, header: ImageHeader? = nil) {
        self.kind = kind
        self.message = message
        self.header = header
    }

    public var description: String { message }

    /// Failures are equal when their kinds are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind }
}
