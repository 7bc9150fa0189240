import Foundation
import Testing
@testable import Vision

/// Decoding is held to a process-wide memory budget: a small file that would decode into gigabytes is reported,
/// not decoded, and decodes wait for each other rather than add up past the budget.
@Suite("Vision: the decoding memory budget")
struct DecodingBudgetTests {
    @Test("a 780 KB 16-bit RGBA PNG of 10000×10000 is refused within the budget, its pixels never allocated")
    func sixteenBitBomb() throws {
        let bomb = Self.zeroPNG(width: 10_000, height: 10_000, bitDepth: 16, colourType: 6)
        #expect(bomb.count < 8 << 20)
        let budget = DecodingBudget(memoryBytes: 512 << 20)
        let before = Self.peakResidentBytes()
        #expect(throws: ImageDecodingFailure.self) { try ImageDecoder(memory: budget).decode(bomb) }
        do {
            _ = try ImageDecoder(memory: budget).decode(bomb)
        } catch {
            #expect(error.kind == .overPixelBudget)
            #expect(error.message.contains("memory limit of 512 MiB"), "\(error.message)")
        }
        // Decoded and hashed, the image would take 1.1 GB (300 MB of pixels, two 400 MB float buffers): the
        // process's peak did not grow by that (the margin leaves room for suites running beside this one).
        #expect(Self.peakResidentBytes() - before < 900 << 20)
        #expect(budget.reserved == 0)
    }

    @Test("an image within the budget decodes, holds its reservation while in use, and gives it back")
    func reservationLifetime() throws {
        let image = Self.zeroPNG(width: 64, height: 32, bitDepth: 16, colourType: 6)
        let budget = DecodingBudget(memoryBytes: 64 << 20)
        var decoded: DecodedImage? = try ImageDecoder(memory: budget).decode(image)
        #expect(decoded?.image.width == 64)
        #expect(budget.reserved == DecodingBudget.pixelBytes(width: 64, height: 32, channels: 3))
        decoded = nil
        #expect(budget.reserved == 0)
    }

    @Test("a reservation waits while others hold the budget")
    func waiting() async throws {
        let budget = DecodingBudget(memoryBytes: 100)
        var first = budget.reserve(60)
        #expect(first != nil && budget.reserve(101) == nil)
        let second = Task.detached { budget.reserve(60) != nil }
        try await Task.sleep(for: .milliseconds(200))
        #expect(budget.reserved == 60)  // the second is still waiting
        first = nil
        #expect(await second.value)
        #expect(budget.reserved == 0)
    }

    /// The process's peak resident set so far, in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// A PNG whose samples are all zero, made without a compressor: the zlib stream is one fixed-Huffman block of
    /// a literal zero followed by length-258, distance-1 copies, so a 800 MB image fits in a few MB.
    static func zeroPNG(width: Int, height: Int, bitDepth: Int, colourType: UInt8) -> [UInt8] {
        let channels = [0: 1, 2: 3, 4: 2, 6: 4][Int(colourType)]!
        let raw = (1 + width * channels * bitDepth / 8) * height
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman
        bits.writeCode(0b0011_0000, length: 8)  // literal 0
        var remaining = raw - 1
        while remaining >= 258 {
            bits.writeCode(0b1100_0101, length: 8)  // length 258 (symbol 285)
            bits.writeCode(0, length: 5)  // distance 1
            remaining -= 258
        }
        for _ in 0..<remaining { bits.writeCode(0b0011_0000, length: 8) }
        bits.writeCode(0, length: 7)  // end of block
        let adler = UInt32(raw % 65_521) << 16 | 1
        let zlib = [0x78, 0x01] + bits.finished + bigEndian(adler)
        var ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        ihdr += [UInt8(bitDepth), colourType, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Deflate's bit order: values least significant bit first, Huffman codes most significant bit first.
    struct BitWriter {
        var bytes: [UInt8] = []
        private var current: UInt32 = 0
        private var filled = 0

        mutating func write(_ value: UInt32, count: Int) {
            for shift in 0..<count { push(value >> UInt32(shift) & 1) }
        }

        mutating func writeCode(_ code: UInt32, length: Int) {
            for shift in stride(from: length - 1, through: 0, by: -1) { push(code >> UInt32(shift) & 1) }
        }

        private mutating func push(_ bit: UInt32) {
            current |= bit << UInt32(filled)
            filled += 1
            if filled == 8 {
                bytes.append(UInt8(current))
                current = 0
                filled = 0
            }
        }

        var finished: [UInt8] { filled > 0 ? bytes + [UInt8(current)] : bytes }
    }
}
