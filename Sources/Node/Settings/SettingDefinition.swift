import Foundation
import Persistence

/// One configuration setting: its canonical key, how it is checked, its default, and whether it is secret.
///
/// Every setting can come from a command-line flag, an environment variable named after its key
/// (`http.port` → `LIGHTBOX_HTTP_PORT`), or the config file (`{"http": {"port": 8080}}` or `{"http.port": 8080}`),
/// in that order of precedence, falling back to its default.
public struct SettingDefinition: Sendable {
    /// How a raw value is checked.
    public enum Kind: Sendable {
        case text
        case port
        case integer(ClosedRange<Int>)
        case boolean
        case choice([String])
        case databaseURL
        /// An http:// or https:// URL.
        case url
        /// Comma-separated http:// or https:// URLs.
        case urlList
    }

    /// The canonical dotted key, e.g. `http.port`.
    public let key: String
    /// What the setting is for, shown by `lightbox config --help` and in the schema.
    public let help: String
    /// How values are checked.
    public let kind: Kind
    /// The default (embedded mode); `nil` when unset by default.
    public let defaultValue: String?
    /// Secret settings are redacted wherever they are printed.
    public let isSecret: Bool

    /// The environment variable that sets it.
    public var environmentName: String {
        "LIGHTBOX_" + key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
    }

    /// Checks a raw value and returns it in canonical form.
    /// - Returns: The canonical string, or a reason it is invalid.
    func canonical(_ raw: String) -> Check {
        let value = raw.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .text:
            return value.isEmpty ? .invalid("expected a non-empty value") : .valid(value)
        case .port:
            guard let port = Int(value), (0...65535).contains(port) else {
                return .invalid("expected a port number from 0 to 65535")
            }
            return .valid(String(port))
        case .integer(let range):
            guard let number = Int(value), range.contains(number) else {
                return .invalid("expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return .valid(String(number))
        case .boolean:
            switch value.lowercased() {
            case "true", "1", "yes", "on": return .valid("true")
            case "false", "0", "no", "off": return .valid("false")
            default: return .invalid("expected true or false")
            }
        case .choice(let choices):
            guard choices.contains(value.lowercased()) else {
                return .invalid("expected one of \(choices.joined(separator: ", "))")
            }
            return .valid(value.lowercased())
        case .url:
            return Self.isHTTPURL(value) ? .valid(value) : .invalid("expected an http:// or https:// URL")
        case .urlList:
            let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty, let bad = items.first(where: { !Self.isHTTPURL($0) }) else {
                return items.isEmpty ? .invalid("expected one or more comma-separated http(s) URLs") : .valid(items.joined(separator: ","))
            }
            return .invalid("'\(bad)' is not an http:// or https:// URL")
        case .databaseURL:
            do {
                _ = try DatabaseLocation(url: value)
                return .valid(value)
            } catch {
                return .invalid(error.message)
            }
        }
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }

    /// The outcome of checking a raw value.
    enum Check {
        case valid(String)
        case invalid(String)
    }

    /// A value as it may be shown: secrets and database passwords redacted.
    func display(_ value: String) -> String {
        if isSecret { return "<redacted>" }
        if case .databaseURL = kind { return DatabaseLocation.redact(value) }
        return value
    }
}
