import Foundation

/// Writing annotation files: directories, UTF-8 text, JSON and XML escaping, numbers.
enum AnnotationText {
    /// Writes `text` to `directory/relative`, creating folders; returns `relative`.
    @discardableResult
    static func write(_ text: String, to relative: String, in directory: String) throws(VisionError) -> String {
        let path = directory + "/" + relative
        do {
            try FileManager.default.createDirectory(
                atPath: DatasetPaths.directory(path), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw VisionError(.io, "cannot write \(path): \(error)")
        }
        return relative
    }

    /// A number as JSON, YOLO and VOC files write it: whole numbers without ".0", others in Swift's shortest
    /// form; NaN and infinities as `NaN`, `Infinity`, `-Infinity` (what Python writes; not valid JSON).
    static func number(_ value: Double) -> String { JSONNumberText.format(value) }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Text escaped for XML character data.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func yamlString(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// A split as part of a file or folder name: "/" and leading dots replaced, so it stays one component.
    static func component(_ split: String) -> String {
        var name = split.replacingOccurrences(of: "/", with: "_")
        while name.hasPrefix(".") { name.replaceSubrange(name.startIndex...name.startIndex, with: "_") }
        return name.isEmpty ? "_" : name
    }
}

/// Lines of a text file with 1-based numbers; "\r\n" and "\n" both end a line, a byte order mark is dropped.
enum TextLines {
    static func lines(_ bytes: [UInt8]) -> [(number: Int, text: Substring)] {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lines: [(number: Int, text: Substring)] = []
        while start < bytes.count {
            var end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append((lines.count + 1, Substring(String(decoding: bytes[start..<end], as: UTF8.self))))
            start = next
        }
        return lines
    }
}
