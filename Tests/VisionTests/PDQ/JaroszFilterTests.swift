import Testing

@testable import Vision

/// The Jarosz filter's 64×64 samples against a plain transcription of the reference (`jaroszFilterFloat`,
/// `box1DFloat` with a stride, then `decimateFloat` in pdq/cpp/hashing/pdqhashing.cpp), bit for bit.
@Suite("PDQ's Jarosz filter")
struct JaroszFilterTests {
    /// `box1DFloat` as the reference writes it: one vector with a stride, four phases.
    static func box1D(_ input: [Float], _ output: inout [Float], start: Int, length: Int, stride: Int, window: Int) {
        let half = (window + 2) / 2
        var left = start, right = start, out = start
        var sum: Float = 0
        var current = 0
        for _ in 0..<(half - 1) {
            sum += input[right]; current += 1; right += stride
        }
        for _ in 0..<(window - half + 1) {
            sum += input[right]; current += 1; output[out] = sum / Float(current); right += stride; out += stride
        }
        for _ in 0..<max(0, length - window) {
            sum += input[right]; sum -= input[left]; output[out] = sum / Float(current)
            left += stride; right += stride; out += stride
        }
        for _ in 0..<(half - 1) {
            sum -= input[left]; current -= 1; output[out] = sum / Float(current); left += stride; out += stride
        }
    }

    /// The whole image filtered (two rounds of rows then columns), then sampled at the 64×64 cell centres.
    static func reference(_ luma: [Float], rows: Int, columns: Int) -> [Float] {
        var buffer = luma
        var scratch = [Float](repeating: 0, count: luma.count)
        let alongRows = (columns + 127) / 128, alongColumns = (rows + 127) / 128
        for _ in 0..<2 {
            for row in 0..<rows {
                box1D(buffer, &scratch, start: row * columns, length: columns, stride: 1, window: alongRows)
            }
            for column in 0..<columns {
                box1D(scratch, &buffer, start: column, length: rows, stride: columns, window: alongColumns)
            }
        }
        return (0..<64).flatMap { i in
            (0..<64).map { j in
                buffer[Int((Double(i) + 0.5) * Double(rows) / 64) * columns + Int((Double(j) + 0.5) * Double(columns) / 64)]
            }
        }
    }

    @Test("the samples are bit-identical to filtering the whole image, at every shape", arguments: [
        (480, 640), (23, 37), (5, 5), (64, 64), (130, 63), (7, 1000), (1000, 9), (129, 257), (8, 8), (17, 200),
    ])
    func samplesMatchTheReference(size: (rows: Int, columns: Int)) {
        var random = SplitMix64(seed: UInt64(size.rows * 7919 + size.columns))
        let luma = (0..<(size.rows * size.columns)).map { _ in Float(random.next() % 256) * 0.587 + 0.25 }
        var working = luma
        var scratch = [Float](repeating: 0, count: working.count)
        let samples = working.withUnsafeMutableBufferPointer { luma in
            scratch.withUnsafeMutableBufferPointer { scratch in
                JaroszFilter.samples(luma: luma.baseAddress!, scratch: scratch.baseAddress!, rows: size.rows, columns: size.columns)
            }
        }
        let expected = Self.reference(luma, rows: size.rows, columns: size.columns)
        #expect(samples.count == 4096)
        #expect(samples.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
