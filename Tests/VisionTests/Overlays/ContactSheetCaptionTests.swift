import Testing

@testable import Vision

/// Captions under contact-sheet tiles hold whole findings, never a sentence cut off.
@Suite("Contact sheet captions")
struct ContactSheetCaptionTests {
    static func finding(_ words: Int, _ tag: Int) -> Finding {
        Finding(.blurry, item: "a.png", message: (0..<words).map { "word\($0)" }.joined(separator: " ") + " end\(tag).")
    }

    @Test("findings are wrapped whole; past the limit, the caption says how many more the report holds")
    func wholeFindings() {
        let short = ContactSheets.FlaggedImage(position: 0, path: "a.png", findings: [Self.finding(40, 1), Self.finding(40, 2)])
        let lines = ContactSheets.caption(short)
        #expect(lines.first == "a.png" && lines.count > 5)  // the old five-line tile cut these off
        #expect(lines.joined(separator: " ").contains("end1.") && lines.last?.hasSuffix("end2.") == true)

        let long = ContactSheets.FlaggedImage(position: 0, path: "a.png", findings: (1...9).map { Self.finding(40, $0) })
        let cut = ContactSheets.caption(long)
        #expect(cut.count <= ContactSheets.maximumCaptionLines)
        let text = cut.joined(separator: " ")
        let included = (1...9).filter { text.contains("end\($0).") }
        #expect(!included.isEmpty && included == Array(1...included.count))
        #expect(cut.last == "+\(9 - included.count) more findings in the report")
        // Every included finding is there to its last word: nothing stops mid-sentence.
        #expect(cut.dropFirst().dropLast().last?.hasSuffix("end\(included.count).") == true)
    }
}
