import Foundation
import Synchronization
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
        let file = try Self.write(bomb, name: "bomb.png")
        let budget = DecodingBudget(memoryBytes: 512 << 20)
        let before = Self.peakResidentBytes()
        let summary = ImageAnalyzer(memory: budget).analyze(file: file, path: "bomb.png")
        #expect(summary.failure?.kind == .overPixelBudget)
        #expect(summary.failure?.message.contains("memory limit of 512 MiB") == true, "\(summary.failure?.message ?? "")")
        // Decoded and hashed, the image would take 1.1 GB (300 MB of pixels, two 400 MB float buffers): the
        // process's peak did not grow by that (the margin leaves room for suites running beside this one).
        #expect(Self.peakResidentBytes() - before < 900 << 20)
        #expect(budget.reserved == 0)
        // Without a budget the same file is within the pixel budget and would be decoded: the budget refused it.
        #expect(ImageHeaderPeek.size(of: try Self.descriptor(file)) == .init(width: 10_000, height: 10_000, channels: 3))
    }

    @Test("an image within the budget is analysed, and its reservation is given back")
    func reservationGivenBack() throws {
        let file = try Self.write(Self.zeroPNG(width: 64, height: 32, bitDepth: 16, colourType: 6), name: "small.png")
        let budget = DecodingBudget(memoryBytes: 64 << 20)
        let summary = ImageAnalyzer(memory: budget).analyze(file: file, path: "small.png")
        #expect(summary.isDecoded && summary.header?.width == 64)
        #expect(budget.reserved == 0)
    }

    @Test("two large files whose bytes together would leave no room for pixels are analysed one after the other")
    func noWaitWhileHolding() throws {
        // Each file is 1 MB (a large ancillary chunk) and needs 0.72 MB for pixels and hashing. In 2.3 MB one image
        // fits whole, and so do two files' bytes, but not two files' bytes and one image's pixels: reserving a file's
        // bytes and then its pixels would let two analyses each hold a file and wait for each other for good.
        let image = Self.zeroPNG(width: 256, height: 256, bitDepth: 16, colourType: 6, padding: 1_000_000)
        let files = try (0..<2).map { try Self.write(image, name: "large\($0).png") }
        #expect(image.count > 1_000_000 && 2 * image.count <= 2_300_000)
        #expect(2 * image.count + DecodingBudget.pixelBytes(width: 256, height: 256, channels: 3) > 2_300_000)
        let analyzer = ImageAnalyzer(memory: DecodingBudget(memoryBytes: 2_300_000))
        let results = Mutex<[Bool]>([])
        let group = DispatchGroup()
        for _ in 0..<3 {
            for file in files {
                DispatchQueue.global().async(group: group) {
                    let decoded = analyzer.analyze(file: file, path: "large.png").isDecoded
                    results.withLock { $0.append(decoded) }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(results.withLock { $0 } == [Bool](repeating: true, count: 6))
        #expect(analyzer.memory?.reserved == 0)
    }

    @Test("a JPEG's size is found past large metadata by jumping from segment to segment")
    func jpegPeek() throws {
        let encoded = try ImageEncoder.jpeg(PixelImage(width: 40, height: 24, colour: .rgb, pixels: [UInt8](repeating: 90, count: 40 * 24 * 3)))
        // An APP2 segment of 60 KB (as ICC profiles are) between SOI and the frame header.
        let app2 = [0xFF, 0xE2, UInt8((60_002 >> 8) & 0xff), UInt8(60_002 & 0xff)] + [UInt8](repeating: 7, count: 60_000)
        let file = try Self.write(Array(encoded.prefix(2)) + app2 + encoded.dropFirst(2), name: "meta.jpg")
        #expect(ImageHeaderPeek.size(of: try Self.descriptor(file)) == .init(width: 40, height: 24, channels: 3))
        let summary = ImageAnalyzer(memory: DecodingBudget(memoryBytes: 64 << 20)).analyze(file: file, path: "meta.jpg")
        #expect(summary.isDecoded)
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

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// An open descriptor of `path` (left open: the test process is short-lived).
    static func descriptor(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw POSIXError(.ENOENT) }
        return descriptor
    }

    /// The process's peak resident set so far, in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// A PNG whose samples are all zero, made without a compressor: the zlib stream is one fixed-Huffman block of
    /// a literal zero followed by length-258, distance-1 copies, so a 800 MB image fits in a few MB.
    /// `padding` bytes go in an ancillary chunk (`prVt`) after IHDR, which decoders skip: a large file of a small image.
    static func zeroPNG(width: Int, height: Int, bitDepth: Int, colourType: UInt8, padding: Int = 0) -> [UInt8] {
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
        let extra = padding > 0 ? chunk("prVt", [UInt8](repeating: 0x55, count: padding)) : []
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + extra + chunk("IDAT", zlib) + chunk("IEND", [])
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
