/// What a dataset must meet to pass, and how findings are weighed: a minimum score, a maximum number of errors,
/// severities changed or checks switched off, thresholds changed.
///
/// Defaults: no errors and a score of at least 80. A policy file is JSON:
///
///     {"min_score": 85, "max_errors": 0,
///      "severity": {"quality.blurry": "error", "labels.few-samples": "off"},
///      "thresholds": {"quality.dark": 0.25, "duplicate.near": 24}}
public struct QualityPolicy: Sendable, Equatable {
    public var minimumScore = 80
    public var maximumErrors = 0
    /// Severity overrides by check id; nil switches the check off.
    public var severities: [String: Severity?] = [:]
    public var thresholds = CheckThresholds()

    public init() {}

    /// Reads a policy file's JSON.
    /// - Throws: ``VisionError`` `.invalidPolicy` naming the key that is wrong.
    public init(json: [UInt8]) throws(VisionError) {
        let document: LocatedJSON
        do {
            document = try LocatedJSON(parsing: json)
        } catch {
            throw VisionError(.invalidPolicy, "the policy is not valid JSON: \(error)")
        }
        guard document.root.kind == .object else { throw VisionError(.invalidPolicy, "a policy must be a JSON object") }
        for (key, value) in document.root.members {
            switch key {
            case "min_score":
                guard let score = value.int, (0...100).contains(score) else {
                    throw VisionError(.invalidPolicy, "min_score must be an integer from 0 to 100")
                }
                minimumScore = score
            case "max_errors":
                guard let errors = value.int, errors >= 0 else {
                    throw VisionError(.invalidPolicy, "max_errors must be a non-negative integer")
                }
                maximumErrors = errors
            case "severity":
                try readSeverities(value)
            case "thresholds":
                try readThresholds(value)
            default:
                throw VisionError(.invalidPolicy, "unknown policy key \"\(key)\"; use min_score, max_errors, severity, thresholds")
            }
        }
    }

    private mutating func readSeverities(_ value: LocatedJSON.Value) throws(VisionError) {
        guard value.kind == .object else {
            throw VisionError(.invalidPolicy, "severity must map check ids to \"error\", \"warning\", \"info\" or \"off\"")
        }
        for (check, level) in value.members {
            guard CheckCatalogue.entry(check) != nil else {
                throw VisionError(.invalidPolicy, "severity names unknown check \"\(check)\"; `lightbox dataset checks` lists them")
            }
            if level.string == "off" {
                severities[check] = .some(nil)
            } else if let text = level.string, let severity = Severity(rawValue: text) {
                severities[check] = severity
            } else {
                throw VisionError(.invalidPolicy, "severity of \(check) must be error, warning, info or off")
            }
        }
    }

    private mutating func readThresholds(_ value: LocatedJSON.Value) throws(VisionError) {
        guard value.kind == .object else {
            throw VisionError(.invalidPolicy, "thresholds must map threshold names to numbers")
        }
        for (key, entry) in value.members {
            guard let number = entry.number, number >= 0 else {
                throw VisionError(.invalidPolicy, "threshold \(key) must be a non-negative number")
            }
            if let path = CheckThresholds.keys.first(where: { $0.0 == key })?.1 {
                thresholds[keyPath: path] = number
            } else if let (_, path, limit) = CheckThresholds.integerKeys.first(where: { $0.0 == key }) {
                guard let integer = entry.int, integer <= limit else {
                    throw VisionError(.invalidPolicy, "threshold \(key) must be an integer from 0 to \(limit)")
                }
                thresholds[keyPath: path] = integer
            } else {
                let known = (CheckThresholds.keys.map(\.0) + CheckThresholds.integerKeys.map(\.0)).sorted()
                throw VisionError(.invalidPolicy, "unknown threshold \"\(key)\"; known: \(known.joined(separator: ", "))")
            }
        }
    }

    /// The severity a finding of this check has under the policy; nil when the check is off.
    func severity(of finding: Finding) -> Severity? {
        if let override = severities[finding.check.rawValue] { return override }
        return finding.severity
    }

    /// The policy as the report records it.
    var reportValue: ReportValue {
        var thresholdValues: [String: ReportValue] = [:]
        for (key, path) in CheckThresholds.keys { thresholdValues[key] = .double(thresholds[keyPath: path]) }
        for (key, path, _) in CheckThresholds.integerKeys { thresholdValues[key] = .int(thresholds[keyPath: path]) }
        var severityValues: [String: ReportValue] = [:]
        for (check, severity) in severities { severityValues[check] = .string(severity?.rawValue ?? "off") }
        return [
            "min_score": .int(minimumScore), "max_errors": .int(maximumErrors),
            "severity": .object(severityValues), "thresholds": .object(thresholdValues),
        ]
    }
}
