/// A built-in bitmap font for labels and captions: printable ASCII (0x20–0x7E) as 5×8-pixel glyphs in 6×8 cells,
/// and the signs the checks' messages use — × √ · ° ≤ ≥ … ² ³ → ± σ — with typographic dashes and quotes drawn as
/// their ASCII forms.
///
/// Capitals and digits are 7 pixels tall (rows 0–6); row 7 holds the descenders of g, j, p, q, y, the comma and
/// the underscore. Each glyph advances 6 pixels (5 of ink, 1 of space) and lines are ``lineHeight`` apart. Any other
/// character (accents, emoji, tabs, control characters) is drawn as `?`, one glyph per `Character`; a line break
/// (`"\n"`, `"\r\n"`, any `Character.isNewline`) starts a new line where the API says so. Sizes scale by an
/// integer factor: at scale 2 every font pixel is 2×2.
public enum BitmapFont {
    /// The horizontal advance of one glyph at scale 1: 5 pixels of glyph and 1 of spacing.
    public static let cellWidth = 6
    /// The height of one glyph cell at scale 1, descender row included.
    public static let cellHeight = 8
    /// The width of a glyph's ink at scale 1.
    public static let glyphWidth = 5
    /// The distance from one line's top to the next line's at scale 1.
    public static let lineHeight = 10

    /// Whether the font pixel at column `x` (0–4) and row `y` (0–7) of the glyph for `character` is set.
    public static func isInk(_ character: Character, x: Int, y: Int) -> Bool {
        guard (0..<glyphWidth).contains(x), (0..<cellHeight).contains(y) else { return false }
        return bits(of: character) >> UInt64((7 - y) * 8 + (4 - x)) & 1 == 1
    }

    /// The glyph of `character`, in ``glyphs``' layout.
    static func bits(of character: Character) -> UInt64 {
        if let sign = signs[character] { return sign }
        if let ascii = asciiForms[character] { return glyphBits(glyphIndex(ascii)) }
        return glyphBits(glyphIndex(character))
    }

    /// Signs beyond ASCII that messages use, in ``glyphs``' layout.
    static let signs: [Character: UInt64] = [
        "×": 0x00110A040A110000, "√": 0x07040404140C0400, "·": 0x0000000C0C000000, "°": 0x0C120C0000000000,
        "≥": 0x0804020408001F00, "≤": 0x0204080402001F00, "…": 0x0000000000001500, "²": 0x0C02040E00000000,
        "³": 0x0E06020E00000000, "→": 0x0002011F01020000, "±": 0x0004041F04001F00, "σ": 0x00000F1212120C00,
    ]

    /// Characters drawn as an ASCII one: dashes, typographic quotes, the minus sign.
    static let asciiForms: [Character: Character] = [
        "—": "-", "–": "-", "−": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"",
    ]

    /// The width in pixels of one line of text at `scale`, from the left edge of the first glyph to the right edge
    /// of the last glyph's ink (the spacing after the last glyph is not counted); 0 for an empty string. For text
    /// with line breaks, the widest line.
    public static func width(of text: String, scale: Int = 1) -> Int {
        var widest = 0
        var count = 0
        for character in text {
            if character.isNewline {
                widest = max(widest, count)
                count = 0
            } else {
                count += 1
            }
        }
        return width(ofCharacters: max(widest, count), scale: scale)
    }

    /// The height in pixels of `lines` lines at `scale`: the cells of the last line and the line spacing above it.
    public static func height(lines: Int, scale: Int = 1) -> Int {
        guard lines > 0 else { return 0 }
        return ((lines - 1) * lineHeight + cellHeight) * clampedScale(scale)
    }

    /// The width in pixels of `count` characters on one line at `scale`.
    public static func width(ofCharacters count: Int, scale: Int = 1) -> Int {
        guard count > 0 else { return 0 }
        return (count * cellWidth - (cellWidth - glyphWidth)) * clampedScale(scale)
    }

    /// How many characters fit on a line `width` pixels wide at `scale` (0 when not even one does).
    public static func characters(fittingIn width: Int, scale: Int = 1) -> Int {
        let scale = clampedScale(scale)
        guard width >= glyphWidth * scale else { return 0 }
        return (width / scale + (cellWidth - glyphWidth)) / cellWidth
    }

    /// `text` broken into lines no wider than `width` pixels at `scale`.
    ///
    /// Lines break at spaces (runs of spaces count as one and are dropped at the ends of lines) and at line breaks;
    /// a word longer than a whole line is cut into pieces that fit. A line always holds at least one character, so
    /// when `width` is narrower than one glyph every line is one character wide and wider than `width`. With
    /// `maxLines`, text that would need more lines is cut and the last line ends in `...`. Empty text gives no lines.
    public static func wrap(_ text: String, toWidth width: Int, scale: Int = 1, maxLines: Int? = nil) -> [String] {
        if text.isEmpty { return [] }
        let perLine = max(1, characters(fittingIn: width, scale: scale))
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            var lineCount = 0
            for word in paragraph.split(separator: " ") {
                var word = word
                if lineCount > 0 && lineCount + 1 + word.count <= perLine {
                    line += " " + word
                    lineCount += 1 + word.count
                    continue
                }
                if lineCount > 0 {
                    lines.append(line)
                    line = ""
                    lineCount = 0
                }
                while word.count > perLine {
                    lines.append(String(word.prefix(perLine)))
                    word = word.dropFirst(perLine)
                }
                line = String(word)
                lineCount = word.count
            }
            lines.append(line)
        }
        if let maxLines, lines.count > max(0, maxLines) {
            guard maxLines > 0 else { return [] }
            lines.removeSubrange(maxLines...)
            lines[maxLines - 1] = withEllipsis(Substring(lines[maxLines - 1]), perLine: perLine)
        }
        return lines
    }

    /// `text` as one line no wider than `width` pixels at `scale`: unchanged if it fits, otherwise cut and ended
    /// with `...` (or just as many dots as fit).
    public static func truncated(_ text: String, toWidth width: Int, scale: Int = 1) -> String {
        let perLine = characters(fittingIn: width, scale: scale)
        if text.count <= perLine { return text }
        return withEllipsis(text.prefix(perLine), perLine: perLine)
    }

    /// `text` with `...` appended, cut (and trailing spaces dropped) so that the whole fits in `perLine` characters.
    static func withEllipsis(_ text: Substring, perLine: Int) -> String {
        guard perLine > 3 else { return String(repeating: ".", count: max(0, perLine)) }
        var head = text.prefix(perLine - 3)
        while head.last == " " { head.removeLast() }
        return head + "..."
    }

    // MARK: Glyph data

    static func clampedScale(_ scale: Int) -> Int { min(max(scale, 1), 64) }

    /// The index into ``glyphs`` for `character`: printable ASCII as itself, anything else as `?`.
    static func glyphIndex(_ character: Character) -> Int {
        guard character.unicodeScalars.count == 1, let ascii = character.asciiValue, (0x20...0x7E).contains(ascii)
        else { return Int(UInt8(ascii: "?")) - 0x20 }
        return Int(ascii) - 0x20
    }

    static func glyphBits(_ index: Int) -> UInt64 { glyphs[index] }

    /// One `UInt64` per glyph from 0x20 to 0x7E: eight bytes for rows 0 (most significant) to 7, each row's five
    /// low bits for columns 0 (0x10) to 4 (0x01). `A` is `0x0E11111F11111100`: `.###.`, `#...#`, `#...#`, `#####`…
    static let glyphs: [UInt64] = [
        0x0000000000000000, 0x0404040404000400, 0x0A0A000000000000, 0x0A0A1F0A1F0A0A00,  // space ! " #
        0x040F140E051E0400, 0x1819020408130300, 0x0C12140815120D00, 0x0404040000000000,  // $ % & '
        0x0204080808040200, 0x0804020202040800, 0x0004150E15040000, 0x0004041F04040000,  // ( ) * +
        0x00000000000C0408, 0x0000001F00000000, 0x00000000000C0C00, 0x0001020408100000,  // , - . /
        0x0E11131519110E00, 0x040C040404040E00, 0x0E11010204081F00, 0x1F02040201110E00,  // 0 1 2 3
        0x02060A121F020200, 0x1F101E0101110E00, 0x0608101E11110E00, 0x1F01020408080800,  // 4 5 6 7
        0x0E11110E11110E00, 0x0E11110F01020C00, 0x000C0C000C0C0000, 0x000C0C000C0C0408,  // 8 9 : ;
        0x0204081008040200, 0x00001F001F000000, 0x0804020102040800, 0x0E11010204000400,  // < = > ?
        0x0E11010D15150E00, 0x0E11111F11111100, 0x1E11111E11111E00, 0x0E11101010110E00,  // @ A B C
        0x1C12111111121C00, 0x1F10101E10101F00, 0x1F10101E10101000, 0x0E11101711110F00,  // D E F G
        0x1111111F11111100, 0x0E04040404040E00, 0x0702020202120C00, 0x1112141814121100,  // H I J K
        0x1010101010101F00, 0x111B151511111100, 0x1111191513111100, 0x0E11111111110E00,  // L M N O
        0x1E11111E10101000, 0x0E11111115120D00, 0x1E11111E14121100, 0x0F10100E01011E00,  // P Q R S
        0x1F04040404040400, 0x1111111111110E00, 0x11111111110A0400, 0x1111111515150A00,  // T U V W
        0x11110A040A111100, 0x11110A0404040400, 0x1F01020408101F00, 0x0E08080808080E00,  // X Y Z [
        0x0010080402010000, 0x0E02020202020E00, 0x040A110000000000, 0x000000000000001F,  // \ ] ^ _
        0x0804020000000000, 0x00000E010F110F00, 0x1010161911111E00, 0x00000E1010110E00,  // ` a b c
        0x01010D1311110F00, 0x00000E111F100E00, 0x0609081C08080800, 0x00000F11110F010E,  // d e f g
        0x1010161911111100, 0x04000C0404040E00, 0x020006020202120C, 0x1010121418141200,  // h i j k
        0x0C04040404040E00, 0x00001A1515111100, 0x0000161911111100, 0x00000E1111110E00,  // l m n o
        0x00001E11111E1010, 0x00000F11110F0101, 0x0000161910101000, 0x00000F100E011E00,  // p q r s
        0x08081C0808090600, 0x0000111111130D00, 0x00001111110A0400, 0x0000111115150A00,  // t u v w
        0x0000110A040A1100, 0x00001111110F010E, 0x00001F0204081F00, 0x0204040804040200,  // x y z {
        0x0404040404040400, 0x0804040204040800, 0x0000081502000000,  // | } ~
    ]
}
