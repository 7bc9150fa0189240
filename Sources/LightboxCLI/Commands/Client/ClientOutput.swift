import Foundation

/// Prints what client commands show: JSON for scripts, lines for people.
enum ClientOutput {
    static func json(_ value: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `value` as JSON when asked, else the lines `text` gives.
    static func show(_ value: Any, json asJSON: Bool, _ text: () -> [String]) {
        if asJSON { json(value) } else { text().forEach { print($0) } }
    }

    /// A status line on standard error (progress, steps), kept off standard output so `--json` stays parseable.
    static func note(_ line: String, replacing: Bool = false) {
        FileHandle.standardError.write(Data(((replacing ? "\r\u{1B}[K" : "") + line + (replacing ? "" : "\n")).utf8))
    }

    /// A bar of `width` characters for `done` of `total`.
    static func bar(_ done: Int, of total: Int, width: Int = 30) -> String {
        let filled = total == 0 ? width : min(width, done * width / total)
        return "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
    }

    static func string(_ object: [String: Any], _ key: String) -> String { object[key].map { "\($0)" } ?? "" }

    static func time(_ seconds: Any?) -> String {
        guard let seconds = seconds as? Int else { return "-" }
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }
}
