/// A file's path inside an upload, checked so that it can only ever name a file under the upload's folder:
/// relative, '/'-separated, valid UTF-8, no empty, '.' or '..' component, no backslash, control, format
/// (bidirectional override) or private-use character, each
/// component at most 255 bytes, at most 16 deep and 1,024 bytes long, and not starting with '.' (hidden files are
/// not part of a dataset).
public struct UploadPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]

    public static let maximumDepth = 16
    public static let maximumLength = 1024

    /// - Throws: ``MarketplaceError`` `.invalidRequest` saying what is wrong with the path.
    public init(_ text: String) throws(MarketplaceError) {
        func refuse(_ why: String) -> MarketplaceError {
            MarketplaceError(.invalidRequest, "the file path '\(text.prefix(120))' \(why); send paths relative to the dataset's folder, like images/0001.jpg")
        }
        guard !text.isEmpty else { throw refuse("is empty") }
        guard text.utf8.count <= Self.maximumLength else { throw refuse("is longer than \(Self.maximumLength) bytes") }
        guard !text.hasPrefix("/") else { throw refuse("is absolute") }
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\\") }) else {
            throw refuse("holds a backslash or a control character")
        }
        if let scalar = text.unicodeScalars.first(where: Self.isRefused) {
            throw refuse(
                scalar == "\u{FFFD}"
                    ? "is not valid UTF-8"
                    : "holds U+\(String(scalar.value, radix: 16, uppercase: true)), an invisible, control or text-direction character")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= Self.maximumDepth else { throw refuse("is more than \(Self.maximumDepth) folders deep") }
        for part in parts {
            guard !part.isEmpty else { throw refuse("has an empty component") }
            guard part != "." && part != ".." else { throw refuse("has a '\(part)' component") }
            guard !part.hasPrefix(".") else { throw refuse("names a hidden file or folder") }
            guard part.utf8.count <= 255 else { throw refuse("has a component longer than 255 bytes") }
        }
        components = parts
    }

    public var description: String { components.joined(separator: "/") }

    /// Characters no file name may hold: controls (C0 and C1), format characters such as the bidirectional
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name read differently from what it is,
    /// line and paragraph separators, private-use and unassigned code points, and U+FFFD, which stands where
    /// bytes were not valid UTF-8.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{FFFD}" { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }
}
