/// Why a piece of an annotation file (a YAML value, a label line) could not be read, in words for a finding.
struct ReadProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The YAML pieces ``YOLODataYAML`` reads: comments, `key: value`, plain and quoted scalars, one-level flow
/// collections.
enum YAMLScalars {
    /// The line without its comment (a `#` outside quotes at the start or after a space) and trailing spaces.
    static func strippingComment(_ line: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        var end = line.endIndex
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" && (previous == " " || previous == "\t") {
                end = index
                break
            }
            previous = character
        }
        var result = line[..<end]
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }

    /// `key: value` (the key plain or quoted, the value trimmed); nil when the line is not one.
    static func keyValue(_ line: Substring) -> (key: String, value: Substring)? {
        let text = line.trimmingSpaces
        if let first = text.first, first == "\"" || first == "'" {
            guard case .success(let (key, rest)) = quoted(text), rest.first == ":" else { return nil }
            return (key, rest.dropFirst().trimmingSpaces)
        }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == ":" {
                let after = text.index(after: index)
                if after == text.endIndex || text[after] == " " || text[after] == "\t" {
                    let key = text[..<index].trimmingSpaces
                    guard !key.isEmpty, !key.hasPrefix("-") else { return nil }
                    return (String(key), text[after...].trimmingSpaces)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// A block scalar: plain, 'single-quoted' or "double-quoted".
    static func scalar(_ text: Substring) -> Result<String, ReadProblem> {
        guard let first = text.first else { return .failure(ReadProblem("the name is empty")) }
        if first == "\"" || first == "'" {
            switch quoted(text) {
            case .success(let (value, rest)):
                return rest.trimmingSpaces.isEmpty ? .success(value) : .failure(ReadProblem("text after the quotes"))
            case .failure(let problem): return .failure(problem)
            }
        }
        if "[{&*!|>%@`".contains(first) {
            return .failure(ReadProblem("YAML beyond plain and quoted names (\(first)) is not supported"))
        }
        if text.contains(": ") { return .failure(ReadProblem("a mapping where a name should be")) }
        return .success(String(text))
    }

    /// A quoted scalar at the start of `text` and what follows it.
    static func quoted(_ text: Substring) -> Result<(String, Substring), ReadProblem> {
        guard let quote = text.first else { return .failure(ReadProblem("expected a quote")) }
        var value = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == quote {
                if quote == "'", index < text.endIndex, text[index] == "'" {
                    value.append("'")
                    index = text.index(after: index)
                    continue
                }
                return .success((value, text[index...]))
            }
            if character == "\\" && quote == "\"" && index < text.endIndex {
                let escape = text[index]
                index = text.index(after: index)
                switch escape {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "u":
                    let end = text.index(index, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex
                    guard let code = UInt32(text[index..<end], radix: 16), let scalar = Unicode.Scalar(code) else {
                        return .failure(ReadProblem("a \\u escape without four hexadecimal digits"))
                    }
                    value.unicodeScalars.append(scalar)
                    index = end
                default: value.append(escape)
                }
                continue
            }
            value.append(character)
        }
        return .failure(ReadProblem("a quote is never closed"))
    }

    /// Whether every bracket opened outside quotes is closed.
    static func isBalanced(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            }
        }
        return depth <= 0
    }

    /// The items of `[a, "b", …]` (keys nil) or `{0: a, 1: b}`.
    static func flowItems(_ text: String) -> Result<[(key: String?, value: String)], ReadProblem> {
        let text = Substring(text).trimmingSpaces
        guard let open = text.first else { return .failure(ReadProblem("it is empty")) }
        let close: Character = open == "[" ? "]" : "}"
        var rest = text.dropFirst()
        var items: [(key: String?, value: String)] = []
        while true {
            rest = rest.trimmingSpaces
            if rest.first == close {
                rest = rest.dropFirst()
                break
            }
            var key: String?
            if open == "{" {
                guard case .success(let (token, after)) = flowToken(rest, stops: [":"]), after.first == ":" else {
                    return .failure(ReadProblem("expected `id: name` inside {…}"))
                }
                key = token
                rest = after.dropFirst()
            }
            switch flowToken(rest, stops: [",", close]) {
            case .success(let (value, after)):
                guard !value.isEmpty else { return .failure(ReadProblem("an item is empty")) }
                items.append((key, value))
                rest = after.trimmingSpaces
            case .failure(let problem): return .failure(problem)
            }
            if rest.first == "," {
                rest = rest.dropFirst()
            } else if rest.first != close {
                return .failure(ReadProblem("expected ',' or '\(close)' between items"))
            }
        }
        guard rest.trimmingSpaces.isEmpty else { return .failure(ReadProblem("text after the closing '\(close)'")) }
        return .success(items)
    }

    private static func flowToken(_ text: Substring, stops: Set<Character>) -> Result<(String, Substring), ReadProblem>
    {
        let text = text.trimmingSpaces
        if let first = text.first, first == "\"" || first == "'" { return quoted(text) }
        if let first = text.first, first == "[" || first == "{" {
            return .failure(ReadProblem("nested lists and mappings are not supported"))
        }
        let end = text.firstIndex(where: stops.contains) ?? text.endIndex
        return .success((String(text[..<end].trimmingSpaces), text[end...]))
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
