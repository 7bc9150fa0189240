import Testing
import Vision

@Suite struct BitmapFontTests {
    private static let printable = (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }

    private static func bitmap(_ character: Character) -> [Bool] {
        (0..<BitmapFont.cellHeight).flatMap { y in
            (0..<BitmapFont.glyphWidth).map { x in BitmapFont.isInk(character, x: x, y: y) }
        }
    }

    @Test func everyPrintableCharacterButSpaceHasInkAndAGlyphOfItsOwn() {
        var seen: [[Bool]: Character] = [:]
        for character in Self.printable {
            let bitmap = Self.bitmap(character)
            #expect(bitmap.contains(true) == (character != " "), "\(character)")
            #expect(seen[bitmap] == nil, "\(character) looks like \(seen[bitmap].map(String.init) ?? "")")
            seen[bitmap] = character
        }
    }

    @Test func capitalAIsDrawnAsExpected() {
        let rows = (0..<BitmapFont.cellHeight).map { y in
            String((0..<BitmapFont.glyphWidth).map { BitmapFont.isInk("A", x: $0, y: y) ? "#" : "." })
        }
        #expect(rows == [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#", "....."])
    }

    @Test func descendersUseTheLastRowAndCapitalsDoNot() {
        for character in "gjpqy," {
            #expect((0..<5).contains { BitmapFont.isInk(character, x: $0, y: 7) }, "\(character)")
        }
        for character in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" {
            #expect(!(0..<5).contains { BitmapFont.isInk(character, x: $0, y: 7) }, "\(character)")
        }
    }

    @Test func charactersOutsidePrintableASCIIAreDrawnAsQuestionMarks() {
        for character: Character in ["é", "ß", "⇒", "🙂", "\t", "\u{7F}", "e\u{301}"] {
            #expect(Self.bitmap(character) == Self.bitmap("?"), "\(character.unicodeScalars.map(\.value))")
        }
        #expect(!BitmapFont.isInk("A", x: 5, y: 0))
        #expect(!BitmapFont.isInk("A", x: 0, y: -1))
    }

    @Test func theSignsMessagesUseHaveGlyphsOfTheirOwnAndDashesAndQuotesTheirASCIIForms() {
        var seen = Set(Self.printable.map(Self.bitmap))
        for character: Character in ["×", "√", "·", "°", "≥", "≤", "…", "²", "³", "→", "±", "σ"] {
            let bitmap = Self.bitmap(character)
            #expect(bitmap.contains(true) && !seen.contains(bitmap), "\(character)")
            seen.insert(bitmap)
        }
        let rows = (0..<BitmapFont.cellHeight).map { y in
            String((0..<BitmapFont.glyphWidth).map { BitmapFont.isInk("×", x: $0, y: y) ? "#" : "." })
        }
        #expect(rows == [".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", ".....", "....."])
        for (typographic, ascii): (Character, Character) in [("—", "-"), ("–", "-"), ("’", "'"), ("“", "\"")] {
            #expect(Self.bitmap(typographic) == Self.bitmap(ascii))
        }
    }

    @Test func widthCountsCellsWithoutTheTrailingSpacing() {
        #expect(BitmapFont.width(of: "") == 0)
        #expect(BitmapFont.width(of: "A") == 5)
        #expect(BitmapFont.width(of: "AB") == 11)
        #expect(BitmapFont.width(of: "AB", scale: 2) == 22)
        #expect(BitmapFont.width(of: "héllo") == BitmapFont.width(of: "hello"))
        #expect(BitmapFont.width(of: "ab\nlonger\nc") == BitmapFont.width(of: "longer"))
        #expect(BitmapFont.width(of: "A", scale: 0) == 5)
        #expect(BitmapFont.height(lines: 0) == 0)
        #expect(BitmapFont.height(lines: 1) == 8)
        #expect(BitmapFont.height(lines: 2, scale: 3) == 54)
    }

    @Test func charactersFittingInAWidthAgreeWithWidth() {
        for scale in 1...3 {
            for width in 0...200 {
                let count = BitmapFont.characters(fittingIn: width, scale: scale)
                #expect(BitmapFont.width(ofCharacters: count, scale: scale) <= width)
                #expect(BitmapFont.width(ofCharacters: count + 1, scale: scale) > width)
            }
        }
    }

    @Test func wrapSplitsAtSpacesAndNeverExceedsTheWidth() {
        let text = "two boxes lie wholly outside the image and one polygon has fewer than three points"
        for scale in 1...2 {
            for width in stride(from: 60, through: 400, by: 17) {
                let lines = BitmapFont.wrap(text, toWidth: width, scale: scale)
                #expect(lines.count > 1 || BitmapFont.width(of: text, scale: scale) <= width)
                for line in lines {
                    #expect(BitmapFont.width(of: line, scale: scale) <= width, "\(line) at \(width)")
                    #expect(!line.hasPrefix(" ") && !line.hasSuffix(" "))
                }
                if width >= BitmapFont.width(of: "outside", scale: scale) {
                    #expect(lines.joined(separator: " ") == text)
                }
            }
        }
        #expect(BitmapFont.wrap("aaa bbb ccc", toWidth: BitmapFont.width(of: "aaa bbb")) == ["aaa bbb", "ccc"])
    }

    @Test func wrapCutsLongWordsKeepsLineBreaksAndCollapsesSpaces() {
        let width = BitmapFont.width(of: "abcd")
        #expect(BitmapFont.wrap("abcdefghij xy", toWidth: width) == ["abcd", "efgh", "ij", "xy"])
        #expect(BitmapFont.wrap("ab\n\ncd  ef", toWidth: 200) == ["ab", "", "cd ef"])
        #expect(BitmapFont.wrap("", toWidth: 100) == [])
        #expect(BitmapFont.wrap("abc", toWidth: 0) == ["a", "b", "c"])
    }

    @Test func wrapWithMaxLinesEndsInAnEllipsis() {
        let width = BitmapFont.width(of: "0123456789")
        let lines = BitmapFont.wrap("one two three four five six seven", toWidth: width, maxLines: 2)
        #expect(lines == ["one two", "three f..."])
        for line in lines { #expect(BitmapFont.width(of: line) <= width) }
        #expect(BitmapFont.wrap("one two", toWidth: width, maxLines: 2) == ["one two"])
        #expect(BitmapFont.wrap("one two", toWidth: width, maxLines: 0) == [])
    }

    @Test func truncatedKeepsTextThatFitsAndCutsTheRest() {
        #expect(BitmapFont.truncated("short", toWidth: 100) == "short")
        let cut = BitmapFont.truncated("images/train/0000123456.jpg", toWidth: 60)
        #expect(cut == "images/...")
        #expect(BitmapFont.width(of: cut) <= 60)
        #expect(BitmapFont.truncated("abcdef", toWidth: BitmapFont.width(of: "ab")) == "..")
    }
}
