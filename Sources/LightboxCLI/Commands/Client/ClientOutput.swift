import Foundation
import Ledger

/// Prints what client commands show: JSON for scripts, lines for people.
enum ClientOutput {
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `value` as JSON when asked, else the lines `text` gives.
    static func show(_ value: some Encodable, json asJSON: Bool, _ text: () -> [String]) {
        if asJSON { json(value) } else { text().forEach { print($0) } }
    }

    /// A status line on standard error (steps), kept off standard output so `--json` stays parseable.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Whether standard error is a terminal: progress bars are drawn only there, never into a pipe or a log.
    static let drawsProgress = isatty(STDERR_FILENO) == 1

    /// A progress line redrawn in place on a terminal; nothing elsewhere.
    static func progress(_ line: String) {
        guard drawsProgress else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Ends a progress line on a terminal.
    static func endProgress() {
        if drawsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// A bar of `width` characters for `done` of `total`.
    static func bar(_ done: Int, of total: Int, width: Int = 30) -> String {
        let filled = total == 0 ? width : min(width, done * width / total)
        return "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
    }

    /// A ledger time as a date, `-` when there is none.
    static func time(_ seconds: UInt64?) -> String { seconds.map(LedgerTime.text) ?? "-" }
}
