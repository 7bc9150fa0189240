import Testing

@testable import Vision

/// The whole-stream PNG decoder against libpng, sample by sample, over generated images of every kind PNG has;
/// and the kinds and damaged files it must leave to libpng.
@Suite("PNG decoders agree")
struct PNGDecoderAgreementTests {
    /// Every colour type with every bit depth it allows.
    static let kinds: [(colourType: UInt8, depth: Int)] = [
        (0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8),
        (4, 8), (4, 16), (6, 8), (6, 16),
    ]

    /// A writer and random samples for one kind, with a palette and transparency where the kind takes them.
    static func image(
        colourType: UInt8, depth: Int, width: Int, height: Int, interlaced: Bool, transparency: Bool, seed: UInt64
    ) -> (TestPNGWriter, [UInt16]) {
        var random = SplitMix64(seed: seed)
        var writer = TestPNGWriter(width: width, height: height, bitDepth: depth, colourType: colourType, interlaced: interlaced)
        writer.chunkSize = 97 + Int(seed % 4000)
        writer.filter = { row in UInt8((row &* 7 &+ Int(seed)) % 5) }
        let top = UInt16((1 << depth) - 1)
        let samples = (0..<(width * height * writer.samplesPerPixel)).map { _ in UInt16(random.next() & UInt64(top)) }
        if colourType == 3 {
            writer.palette = (0..<(3 << depth)).map { _ in UInt8(random.next() & 0xFF) }
            if transparency { writer.transparency = (0..<min(1 << depth, 5)).map { _ in UInt8(random.next() & 0xFF) } }
        } else if transparency, colourType == 0 {
            writer.transparency = [UInt8(samples[0] >> 8), UInt8(samples[0] & 0xFF)]
        } else if transparency, colourType == 2 {
            writer.transparency = samples.prefix(3).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
        return (writer, samples)
    }

    @Test("every kind, plain and Adam7, with and without tRNS, at several sizes: the same samples as libpng")
    func everyKind() throws {
        var compared = 0, wholeStream = 0
        for (colourType, depth) in Self.kinds {
            for interlaced in [false, true] {
                for transparency in [false, true] where !transparency || [0, 2, 3].contains(colourType) {
                    for (width, height) in [(37, 23), (1, 1), (5, 9), (64, 3)] {
                        let seed = UInt64(compared * 31 + 5)
                        let (writer, samples) = Self.image(
                            colourType: colourType, depth: depth, width: width, height: height, interlaced: interlaced,
                            transparency: transparency, seed: seed)
                        let file = writer.encode(samples)
                        let decoder = PNGDecoder(decoder: ImageDecoder())
                        let reference = try decoder.decodeWithLibpng(file)
                        let decoded = try decoder.decode(file)
                        let label = "type \(colourType), \(depth)-bit, \(width)×\(height), interlaced \(interlaced), tRNS \(transparency)"
                        #expect(decoded.image == reference.image, "\(label)")
                        #expect(decoded.header == reference.header, "\(label)")
                        let covered = !interlaced && depth >= 8 && colourType != 3
                        let taken = try file.withUnsafeBufferPointer { try WholeStreamPNGDecoder(decoder: ImageDecoder()).decode($0) }
                        #expect((taken != nil) == covered, "\(label)")
                        if covered { wholeStream += 1 }
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 208 && wholeStream == 48)
    }

    @Test("8-bit images decode to the samples written, alpha dropped: right, not only equal to libpng")
    func groundTruth() throws {
        for colourType: UInt8 in [0, 2, 4, 6] {
            let (writer, samples) = Self.image(
                colourType: colourType, depth: 8, width: 61, height: 17, interlaced: false, transparency: false, seed: 9)
            let decoded = try ImageDecoder().decode(writer.encode(samples))
            let kept = colourType == 0 || colourType == 4 ? 1 : 3
            let expected = stride(from: 0, to: samples.count, by: writer.samplesPerPixel).flatMap { start in
                samples[start..<(start + kept)].map { UInt8($0) }
            }
            #expect(decoded.image.pixels == expected, "colour type \(colourType)")
        }
    }

    @Test("every 16-bit value scales to 8 bits as libpng's png_set_scale_16 does")
    func everySixteenBitValue() throws {
        var writer = TestPNGWriter(width: 256, height: 256, bitDepth: 16, colourType: 0)
        writer.filter = { _ in 4 }
        let file = writer.encode((0..<65536).map { UInt16($0) })
        let decoder = PNGDecoder(decoder: ImageDecoder())
        let decoded = try decoder.decode(file)
        #expect(decoded.image == (try decoder.decodeWithLibpng(file)).image)
        // libpng's formula is rounding to the nearest of 255 levels.
        #expect(decoded.image.pixels.enumerated().allSatisfy { Int($1) == Int((Double($0) * 255 / 65535).rounded()) })
    }

    @Test("damaged files are left to libpng, which gives the same failure as before")
    func damagedFilesFallBack() throws {
        let (writer, samples) = Self.image(colourType: 2, depth: 8, width: 40, height: 30, interlaced: false, transparency: false, seed: 3)
        let file = writer.encode(samples)
        var damaged: [(String, [UInt8])] = []
        var badCRC = file
        badCRC[file.count - 20] ^= 0x01  // inside the last IDAT chunk's data
        damaged.append(("a bad CRC", badCRC))
        damaged.append(("a truncated file", Array(file.prefix(file.count - 30))))
        damaged.append(("no IEND", Array(file.prefix(file.count - 12))))
        var unknownFilter = writer
        unknownFilter.filter = { $0 == 7 ? 9 : 0 }
        damaged.append(("an unknown filter type", unknownFilter.encode(samples)))
        var short = TestPNGWriter(width: 40, height: 29, bitDepth: 8, colourType: 2).encode(Array(samples.prefix(40 * 29 * 3)))
        short.replaceSubrange(16..<24, with: TestPNGWriter.bigEndian(40) + TestPNGWriter.bigEndian(30))
        short.replaceSubrange(29..<33, with: TestPNGWriter.bigEndian(Int(DecodingTests.crc32(Array(short[12..<29])))))
        damaged.append(("image data a row short", short))
        for (name, bytes) in damaged {
            let taken = try bytes.withUnsafeBufferPointer { try WholeStreamPNGDecoder(decoder: ImageDecoder()).decode($0) }
            #expect(taken == nil, "\(name)")
            let viaLibpng = #expect(throws: ImageDecodingFailure.self) { try PNGDecoder(decoder: ImageDecoder()).decodeWithLibpng(bytes) }
            let decoded = #expect(throws: ImageDecodingFailure.self) { try ImageDecoder().decode(bytes) }
            #expect(decoded?.kind == viaLibpng?.kind && decoded?.message == viaLibpng?.message, "\(name)")
        }
    }

    @Test("under a memory allowance too small to inflate whole, libpng streams the image instead")
    func tightAllowance() throws {
        let (writer, samples) = Self.image(colourType: 6, depth: 16, width: 50, height: 40, interlaced: false, transparency: false, seed: 4)
        var incompressible = writer
        incompressible.filter = { _ in 0 }
        let file = incompressible.encode(samples)
        let allowance = DecodingBudget.pixelBytes(width: 50, height: 40, channels: 3)
        let decoder = ImageDecoder(pixelAllowance: allowance)
        let taken = try file.withUnsafeBufferPointer { try WholeStreamPNGDecoder(decoder: decoder).decode($0) }
        #expect(taken == nil)
        #expect(try decoder.decode(file).image == (try PNGDecoder(decoder: ImageDecoder()).decodeWithLibpng(file)).image)
    }
}
