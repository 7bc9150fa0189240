/// Collects a reader's findings, each at `file:line`.
struct AnnotationFindings {
    var all: [Finding] = []

    /// A `annotation.malformed` finding (or another severity for it).
    mutating func add(
        _ location: SourceLocation, _ message: String, severity: Severity? = nil,
        details: [String: ReportValue] = [:]
    ) {
        add(.malformedAnnotation, location, message, severity: severity, details: details)
    }

    mutating func add(
        _ check: CheckID, _ location: SourceLocation, _ message: String, severity: Severity? = nil,
        details: [String: ReportValue] = [:]
    ) {
        all.append(Finding(check, severity: severity, item: location.description, message: message, details: details))
    }

    mutating func add(file: String, line: Int?, _ message: String, details: [String: ReportValue] = [:]) {
        add(SourceLocation(file: file, line: line), message, details: details)
    }
}

extension LocatedJSON.Value {
    /// "a string", "an array", … for messages.
    var kindPhrase: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: isIntegerLiteral ? "an integer" : "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as it reads in a message: short scalars quoted, containers by kind.
    var quoted: String {
        switch kind {
        case .string:
            let text = string ?? ""
            return text.count <= 40 ? "\"\(text)\"" : "a string"
        case .number: return number.map(JSONNumberText.format) ?? "a number"
        case .bool: return bool == true ? "true" : "false"
        default: return kindPhrase
        }
    }
}

/// Numbers written the way people write them: whole numbers without ".0".
enum JSONNumberText {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(.towardZero), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}

extension DatasetListing {
    /// Hands each of a format's annotation files to `read` with its bytes; a file that cannot be opened is a
    /// finding, and none readable at all is an error (`.io`), since then nothing can be checked.
    func readAnnotationFiles(
        _ files: [String], format: String, findings: inout AnnotationFindings,
        _ read: (_ file: String, _ bytes: [UInt8], _ findings: inout AnnotationFindings) -> Void
    ) throws(VisionError) {
        var readable = 0
        for file in files {
            guard let bytes = self.read(file) else {
                findings.add(file: file, line: nil, "the file cannot be read; check its permissions")
                continue
            }
            readable += 1
            read(file, bytes, &findings)
        }
        guard readable > 0 else {
            throw VisionError(.io, "none of the \(format) annotation files under \(root) can be read")
        }
    }
}
