import Testing
import Vision

/// libpng and libjpeg-turbo through ``ImageDecoder``: every colour model to 8-bit grey or RGB, and every broken
/// file to a failure of the right kind, never a crash.
@Suite("Image decoding")
struct DecodingTests {
    let rgb: [UInt8]
    let grey: [UInt8]

    init() throws {
        rgb = try Fixtures.bytes("decoding/rgb-pixels.bin")
        grey = try Fixtures.bytes("decoding/grey-pixels.bin")
    }

    func decode(_ name: String, budget: Int = ImageDecoder.defaultPixelBudget) throws -> DecodedImage {
        try ImageDecoder(pixelBudget: budget).decode(try Fixtures.bytes("decoding/\(name)"))
    }

    @Test("8-bit RGB, RGBA (alpha dropped), grey and grey+alpha PNGs give their exact pixels")
    func pngColourModels() throws {
        let plain = try decode("rgb8.png")
        #expect(plain.image.colour == .rgb && plain.image.width == 37 && plain.image.height == 23)
        #expect(plain.image.pixels == rgb)
        #expect(plain.header.storedColour == "8-bit RGB" && plain.header.storesColour && !plain.header.hasAlpha)
        let alpha = try decode("rgba8.png")
        #expect(alpha.image.pixels == rgb && alpha.header.hasAlpha && alpha.header.storedColour == "8-bit RGBA")
        let greyImage = try decode("grey8.png")
        #expect(greyImage.image.colour == .grey && greyImage.image.pixels == grey && !greyImage.header.storesColour)
        let greyAlpha = try decode("greyalpha8.png")
        #expect(greyAlpha.image.colour == .grey && greyAlpha.image.pixels == grey && greyAlpha.header.hasAlpha)
    }

    @Test("palette (with tRNS), 1-bit and 16-bit PNGs expand to 8-bit")
    func pngExpansions() throws {
        let palette = try decode("palette.png")
        #expect(palette.header.storedColour == "4-bit palette" && palette.header.hasAlpha)
        let expanded = try decode("palette-as-rgb.png")
        #expect(palette.image.colour == .rgb && palette.image.pixels == expanded.image.pixels)
        let bits = try decode("grey1.png")
        let bitsAsGrey = try decode("grey1-as-grey8.png")
        #expect(bits.image.colour == .grey && bits.image.pixels == bitsAsGrey.image.pixels)
        #expect(Set(bits.image.pixels) == [0, 255])
        let deep = try decode("grey16.png")
        #expect(deep.header.storedColour == "16-bit grey" && deep.image.pixels == grey)
    }

    @Test("JPEGs decode as libjpeg-turbo does (Pillow's decode of the same file, within 1 level)")
    func jpeg() throws {
        let colour = try decode("rgb.jpg")
        #expect(colour.header.format == .jpeg && colour.image.colour == .rgb && colour.header.storedColour == "YCbCr")
        let expected = try Fixtures.bytes("decoding/rgb-jpeg-pixels.bin")
        #expect(colour.image.pixels.count == expected.count)
        #expect(zip(colour.image.pixels, expected).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
        let greyJPEG = try decode("grey.jpg")
        #expect(greyJPEG.image.colour == .grey && !greyJPEG.header.storesColour)
        let expectedGrey = try Fixtures.bytes("decoding/grey-jpeg-pixels.bin")
        #expect(greyJPEG.image.pixels.count == expectedGrey.count)
        #expect(zip(greyJPEG.image.pixels, expectedGrey).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test("the pixel budget is enforced from the header, before decoding")
    func budget() throws {
        #expect(throws: ImageDecodingFailure(.overPixelBudget, "")) { try decode("rgb8.png", budget: 37 * 23 - 1) }
        #expect(throws: ImageDecodingFailure(.overPixelBudget, "")) { try decode("rgb.jpg", budget: 100) }
        #expect(try decode("rgb8.png", budget: 37 * 23).image.width == 37)
        // A header claiming 60000×60000 (3.6 gigapixels) is refused without allocating.
        var huge = try Fixtures.bytes("decoding/grey8.png")
        huge.replaceSubrange(16..<24, with: [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60])
        let crc = Self.crc32(Array(huge[12..<29]))
        huge.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        let failure = #expect(throws: ImageDecodingFailure.self) { try ImageDecoder().decode(huge) }
        #expect(failure?.kind == .overPixelBudget && failure?.header?.width == 60_000)
    }

    /// PNG's chunk CRC (ISO 3309).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("truncated, corrupt, empty, foreign and CMYK files become failures of the right kind")
    func brokenFiles() throws {
        for name in ["rgb8.png", "rgb.jpg"] {
            let bytes = try Fixtures.bytes("decoding/\(name)")
            for cut in [bytes.count / 2, bytes.count - 30, 40] {
                let failure = #expect(throws: ImageDecodingFailure.self) { try ImageDecoder().decode(Array(bytes.prefix(cut))) }
                #expect(failure?.kind == .truncated, "\(name) cut to \(cut)")
            }
        }
        var corrupt = try Fixtures.bytes("decoding/rgb8.png")
        corrupt[corrupt.count / 2] ^= 0xFF  // inside IDAT: its CRC no longer matches
        let failure = #expect(throws: ImageDecodingFailure.self) { try ImageDecoder().decode(corrupt) }
        #expect(failure?.kind == .corrupt)
        #expect(throws: ImageDecodingFailure(.truncated, "")) { try ImageDecoder().decode([]) }
        #expect(throws: ImageDecodingFailure(.notAnImage, "")) { try ImageDecoder().decode(Array("GIF89a....".utf8)) }
        let cmyk = #expect(throws: ImageDecodingFailure.self) { try decode("cmyk.jpg") }
        #expect(cmyk?.kind == .unsupported && cmyk?.message.contains("CMYK") == true)
    }

    @Test("encoded PNGs decode to the same pixels; JPEGs to nearly the same")
    func roundTrip() throws {
        let image = PixelImage(width: 37, height: 23, colour: .rgb, pixels: rgb)
        #expect(try ImageDecoder().decode(try ImageEncoder.png(image)).image == image)
        let greyImage = PixelImage(width: 37, height: 23, colour: .grey, pixels: grey)
        #expect(try ImageDecoder().decode(try ImageEncoder.png(greyImage)).image == greyImage)
        let smooth = PixelImage(width: 64, height: 64, colour: .grey, pixels: (0..<4096).map { UInt8(($0 % 64) * 4) })
        let jpeg = try ImageDecoder().decode(try ImageEncoder.jpeg(smooth, quality: 95)).image
        #expect(zip(jpeg.pixels, smooth.pixels).allSatisfy { abs(Int($0) - Int($1)) <= 6 })
    }
}
