/// The part of an Ultralytics `data.yaml` the reader needs: `names` (a flow list `[a, b]`, a block list `- a`, or
/// a mapping `0: a`, block or flow) and `nc`. Other top-level keys and their blocks are skipped; what this small
/// YAML reader cannot understand becomes a finding at `data.yaml:line`.
struct YOLODataYAML {
    /// The classes, ids from the list position or the mapping keys; nil when there is no `names`.
    private(set) var names: [Category]?
    private(set) var count: (value: Int, line: Int)?
    /// Whether there is a `names` key, readable or not.
    private(set) var hasNamesKey = false
    private(set) var findings = AnnotationFindings()
    private let file: String
    private let lines: [Substring]

    init(bytes: [UInt8], file: String) {
        self.file = file
        lines = TextLines.lines(bytes).map(\.text)
        parse()
    }

    /// Whether a top-level `names:` key is there (used to recognise a data.yaml by another name).
    static func declaresNames(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("names:") }
    }

    private mutating func report(_ index: Int, _ message: String) {
        findings.add(file: file, line: index + 1, message)
    }

    private mutating func parse() {
        var index = 0
        while index < lines.count {
            let content = YAMLScalars.strippingComment(lines[index])
            let trimmed = content.trimmingSpaces
            if trimmed.isEmpty || trimmed == "---" || trimmed == "..." {
                index += 1
                continue
            }
            if content.first == " " || content.first == "\t" {
                report(index, "this indented line belongs to no key; check the indentation (spaces, no tabs)")
                index += 1
                continue
            }
            guard let (key, value) = YAMLScalars.keyValue(content) else {
                report(index, "cannot read this line; write `key: value`")
                index += 1
                continue
            }
            switch key {
            case "names":
                hasNamesKey = true
                index = readNames(value, at: index)
            case "nc":
                if let value = Int(value), value >= 0 {
                    count = (value, index + 1)
                } else {
                    report(index, "nc is \"\(value)\", not a whole number; write the number of classes or leave it out")
                }
                index += 1
            default: index = skipValue(value, at: index)
            }
        }
        if let count, let names, names.count != count.value {
            findings.add(
                file: file, line: count.line,
                "nc is \(count.value) but names has \(names.count) "
                    + "classes; make them agree (nc can be left out)")
        }
        if !hasNamesKey, let count {
            findings.add(file: file, line: count.line, "there is nc but no names; list the class names under names:")
            // Ultralytics' names when there are none, for a sane number of classes.
            if count.value <= 100_000 { names = (0..<count.value).map { Category(id: $0, name: "class_\($0)") } }
        }
    }

    /// Skips an unknown key's value: the rest of a flow collection, an indented block, a `- ` list at column 0.
    private func skipValue(_ value: Substring, at index: Int) -> Int {
        if value.hasPrefix("[") || value.hasPrefix("{") {
            return (flowText(from: value, at: index)?.end ?? lines.count - 1) + 1
        }
        var next = index + 1
        let blockFollows = value.isEmpty || value.hasPrefix("|") || value.hasPrefix(">")
        while next < lines.count {
            let line = lines[next]
            let isBlank = YAMLScalars.strippingComment(line).trimmingSpaces.isEmpty
            if isBlank || line.first == " " || line.first == "\t" || (blockFollows && line.hasPrefix("-")) {
                next += 1
            } else {
                break
            }
        }
        return next
    }

    /// The flow collection starting in `value` on line `index`, across lines until its brackets close.
    private func flowText(from value: Substring, at index: Int) -> (text: String, end: Int)? {
        var text = String(value)
        var line = index
        while !YAMLScalars.isBalanced(text) {
            line += 1
            guard line < lines.count else { return nil }
            text += " " + YAMLScalars.strippingComment(lines[line])
        }
        return (text, line)
    }

    private mutating func readNames(_ value: Substring, at index: Int) -> Int {
        if value.hasPrefix("[") || value.hasPrefix("{") {
            guard let (text, end) = flowText(from: value, at: index) else {
                report(index, "names starts a list or mapping that is never closed; add the closing bracket")
                return lines.count
            }
            switch YAMLScalars.flowItems(text) {
            case .success(let items): names = categories(items, at: index)
            case .failure(let problem): report(index, "names cannot be read: \(problem)")
            }
            return end + 1
        }
        guard value.isEmpty else {
            report(index, "names is \"\(value)\"; write a list ([a, b] or lines `- a`) or a mapping (lines `0: a`)")
            return index + 1
        }
        var items: [(key: String?, value: String, line: Int)] = []
        let reported = findings.all.count
        var next = index + 1
        while next < lines.count {
            let content = YAMLScalars.strippingComment(lines[next])
            let trimmed = content.trimmingSpaces
            if trimmed.isEmpty {
                next += 1
                continue
            }
            let indented = content.first == " " || content.first == "\t"
            if !indented && !trimmed.hasPrefix("-") { break }
            if trimmed == "-" || trimmed.hasPrefix("- ") {
                switch YAMLScalars.scalar(trimmed.dropFirst().trimmingSpaces) {
                case .success(let name): items.append((nil, name, next + 1))
                case .failure(let problem): report(next, "this class name cannot be read: \(problem)")
                }
            } else if let (key, raw) = YAMLScalars.keyValue(trimmed) {
                switch YAMLScalars.scalar(raw) {
                case .success(let name): items.append((String(key), name, next + 1))
                case .failure(let problem): report(next, "this class name cannot be read: \(problem)")
                }
            } else {
                report(next, "cannot read this line of names; write `- name` or `0: name`")
            }
            next += 1
        }
        if items.isEmpty {
            if findings.all.count == reported { report(index, "names is empty; list the class names") }
            names = []
        } else {
            names = categories(items.map { ($0.key, $0.value) }, at: index, lines: items.map(\.line))
        }
        return next
    }

    /// Categories from list items (ids by position) or mapping items (ids from the keys), not a mix.
    private mutating func categories(
        _ items: [(key: String?, value: String)], at index: Int, lines: [Int]? = nil
    ) -> [Category] {
        let keyed = items.filter { $0.key != nil }.count
        if keyed == 0 { return items.enumerated().map { Category(id: $0.offset, name: $0.element.value) } }
        guard keyed == items.count else {
            report(index, "names mixes `- name` items with `id: name` items; use one form")
            return []
        }
        var categories: [Category] = []
        var seen: Set<Int> = []
        for (offset, item) in items.enumerated() {
            let line = (lines?[offset] ?? index + 1) - 1
            guard let key = item.key, let id = Int(key), id >= 0 else {
                report(
                    line, "the class id \"\(item.key ?? "")\" is not a whole number; write `0: name`, `1: name`, …")
                continue
            }
            guard seen.insert(id).inserted else {
                report(line, "class id \(id) is given twice in names; give each class its own id")
                continue
            }
            categories.append(Category(id: id, name: item.value))
        }
        if categories.map(\.id).sorted() != Array(0..<categories.count) {
            report(
                index,
                "the class ids in names are not 0, 1, 2, …; YOLO label files number classes from 0 "
                    + "without gaps")
        }
        return categories
    }
}
