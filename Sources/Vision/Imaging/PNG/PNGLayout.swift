import CDeflate

/// The structure of a plain PNG file — its IHDR fields and where its image data lies — read without libpng, for
/// ``WholeStreamPNGDecoder``. It is read only when the file is regular in every way libpng checks: the signature,
/// IHDR first and valid, every chunk's CRC right, the IDAT chunks consecutive, no critical chunk other than IHDR,
/// IDAT and IEND (so no palette), an IEND. Anything else gives nil and is left to libpng, which says what is wrong.
struct PNGLayout {
    enum ColourType: UInt8 {
        case grey = 0
        case rgb = 2
        case palette = 3
        case greyAlpha = 4
        case rgba = 6

        /// Samples per pixel as stored.
        var samples: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    let width: Int
    let height: Int
    let bitDepth: Int
    let colourType: ColourType
    let interlaced: Bool
    /// Byte ranges of the IDAT chunks' data, in file order.
    let imageData: [Range<Int>]
    /// Whether a tRNS chunk is present (which libpng's output here ignores, as alpha is dropped).
    let hasTransparency: Bool

    /// The dimension libpng refuses beyond by default (`PNG_USER_WIDTH_MAX`, `PNG_USER_HEIGHT_MAX`).
    static let largestDimension = 1_000_000

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bytes of one stored row, without its filter byte.
    var rowBytes: Int { (width * colourType.samples * bitDepth + 7) / 8 }

    /// Bytes per complete pixel (at least 1), the distance the row filters look back.
    var filterDistance: Int { max(1, colourType.samples * bitDepth / 8) }

    /// The image data's total length.
    var imageDataCount: Int { imageData.reduce(0) { $0 + $1.count } }

    init?(_ file: UnsafeBufferPointer<UInt8>) {
        guard file.count >= 8 + 25, file.prefix(8).elementsEqual(Self.signature) else { return nil }
        var offset = 8
        var header: (width: Int, height: Int, depth: Int, colour: ColourType, interlaced: Bool)?
        var imageData: [Range<Int>] = []
        var imageDataEnded = false
        var hasTransparency = false
        while true {
            guard file.count - offset >= 12 else { return nil }
            let length = Self.bigEndian(file, at: offset)
            guard length <= Int(Int32.max), file.count - offset - 12 >= length else { return nil }
            let type = (file[offset + 4], file[offset + 5], file[offset + 6], file[offset + 7])
            let data = (offset + 8)..<(offset + 8 + length)
            let crc = libdeflate_crc32(0, file.baseAddress! + offset + 4, length + 4)
            guard crc == UInt32(Self.bigEndian(file, at: data.upperBound)) else { return nil }
            offset = data.upperBound + 4
            let isIDAT = type == (0x49, 0x44, 0x41, 0x54)
            if !isIDAT, !imageData.isEmpty { imageDataEnded = true }
            switch type {
            case (0x49, 0x48, 0x44, 0x52):  // IHDR
                guard header == nil, offset == 8 + 12 + 13, length == 13 else { return nil }
                header = Self.header(file, at: data.lowerBound)
                guard header != nil else { return nil }
            case (0x49, 0x44, 0x41, 0x54):  // IDAT
                guard header != nil, !imageDataEnded else { return nil }
                imageData.append(data)
            case (0x49, 0x45, 0x4E, 0x44):  // IEND
                guard let header, !imageData.isEmpty, length == 0 else { return nil }
                self.width = header.width
                self.height = header.height
                self.bitDepth = header.depth
                self.colourType = header.colour
                self.interlaced = header.interlaced
                self.imageData = imageData
                self.hasTransparency = hasTransparency
                return
            case (0x74, 0x52, 0x4E, 0x53):  // tRNS
                hasTransparency = true
            default:
                // Bit 5 of the first letter clear: a critical chunk libpng must judge (PLTE, or one it does not know).
                guard header != nil, type.0 & 0x20 != 0 else { return nil }
            }
        }
    }

    /// IHDR's fields when they are ones libpng accepts; nil otherwise.
    private static func header(
        _ file: UnsafeBufferPointer<UInt8>, at start: Int
    ) -> (width: Int, height: Int, depth: Int, colour: ColourType, interlaced: Bool)? {
        let width = bigEndian(file, at: start), height = bigEndian(file, at: start + 4)
        let depth = Int(file[start + 8])
        guard (1...largestDimension).contains(width), (1...largestDimension).contains(height),
            let colour = ColourType(rawValue: file[start + 9]),
            file[start + 10] == 0, file[start + 11] == 0, file[start + 12] <= 1
        else { return nil }
        let depths: Set<Int> =
            switch colour {
            case .grey: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .greyAlpha, .rgba: [8, 16]
            }
        guard depths.contains(depth) else { return nil }
        return (width, height, depth, colour, file[start + 12] == 1)
    }

    private static func bigEndian(_ file: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        Int(file[offset]) << 24 | Int(file[offset + 1]) << 16 | Int(file[offset + 2]) << 8 | Int(file[offset + 3])
    }
}
