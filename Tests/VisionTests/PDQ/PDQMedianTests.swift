import Testing

@testable import Vision

@Suite("PDQ's median")
struct PDQMedianTests {
    @Test("quickselect gives sorted()[127] for random, repeated, sorted and reversed coefficients")
    func lowerMedian() {
        var random = SplitMix64(seed: 11)
        var cases: [[Float]] = (0..<200).map { _ in (0..<256).map { _ in Float(Int(random.next() % 2001) - 1000) / 7 } }
        cases.append((0..<256).map { Float($0 % 3) })
        cases.append((0..<256).map(Float.init))
        cases.append((0..<256).map { Float(255 - $0) })
        cases.append([Float](repeating: 1.5, count: 256))
        for values in cases {
            #expect(PDQHasher.lowerMedian(values) == values.sorted()[127])
        }
    }
}
