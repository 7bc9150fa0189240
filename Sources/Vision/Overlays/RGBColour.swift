/// An 8-bit RGB colour for drawing on a ``Canvas``.
public struct RGBColour: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A grey with all three channels at `level`.
    public init(grey level: UInt8) {
        self.init(red: level, green: level, blue: level)
    }

    public static let black = RGBColour(grey: 0)
    public static let white = RGBColour(grey: 255)

    /// Black or white, whichever reads better as text on this colour (by Rec. 601 luma).
    public var contrastingText: RGBColour {
        let luma = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
        return luma >= 150_000 ? .black : .white
    }

    /// Twelve colours far apart from each other, for telling classes apart on a contact sheet (the first twelve of
    /// Sasha Trubetskoy's "20 distinct colours"). ``Canvas/colour(forClass:)`` picks from these.
    public static let classPalette: [RGBColour] = [
        RGBColour(red: 230, green: 25, blue: 75),  // red
        RGBColour(red: 60, green: 180, blue: 75),  // green
        RGBColour(red: 255, green: 225, blue: 25),  // yellow
        RGBColour(red: 0, green: 130, blue: 200),  // blue
        RGBColour(red: 245, green: 130, blue: 48),  // orange
        RGBColour(red: 145, green: 30, blue: 180),  // purple
        RGBColour(red: 70, green: 240, blue: 240),  // cyan
        RGBColour(red: 240, green: 50, blue: 230),  // magenta
        RGBColour(red: 210, green: 245, blue: 60),  // lime
        RGBColour(red: 250, green: 190, blue: 212),  // pink
        RGBColour(red: 0, green: 128, blue: 128),  // teal
        RGBColour(red: 170, green: 110, blue: 40),  // brown
    ]
}
