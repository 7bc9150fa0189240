/// Decoded 8-bit pixels, row by row, channels interleaved: grey (1 channel) or RGB (3). Alpha is dropped at
/// decoding and 16-bit samples are reduced to 8 bits, so every check sees one of these two layouts.
public struct PixelImage: Sendable, Equatable {
    /// The colour layout of ``pixels``.
    public enum Colour: Int, Sendable, Hashable {
        case grey = 1
        case rgb = 3
    }

    public let width: Int
    public let height: Int
    public let colour: Colour
    /// `width × height × channels` bytes.
    public var pixels: [UInt8]

    public var channels: Int { colour.rawValue }

    public init(width: Int, height: Int, colour: Colour, pixels: [UInt8]) {
        precondition(pixels.count == width * height * colour.rawValue, "pixel buffer does not fit the size")
        self.width = width
        self.height = height
        self.colour = colour
        self.pixels = pixels
    }

    /// An image of one colour.
    public init(width: Int, height: Int, colour: Colour, filledWith value: UInt8 = 0) {
        self.init(
            width: width, height: height, colour: colour,
            pixels: [UInt8](repeating: value, count: width * height * colour.rawValue))
    }
}
