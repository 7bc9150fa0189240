import Foundation

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
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
                throw VisionError(.invalidPolicy, "a policy must be a JSON object")
            }
            object = parsed
        } catch let error as VisionError {
            throw error
        } catch {
            throw VisionError(.invalidPolicy, "the policy is not valid JSON: \(error.localizedDescription)")
        }
        for key in object.keys where !["min_score", "max_errors", "severity", "thresholds"].contains(key) {
            throw VisionError(.invalidPolicy, "unknown policy key \"\(key)\"; use min_score, max_errors, severity, thresholds")
        }
        if let value = object["min_score"] {
            guard let score = value as? Int, (0...100).contains(score) else {
                throw VisionError(.invalidPolicy, "min_score must be an integer from 0 to 100")
            }
            minimumScore = score
        }
        if let value = object["max_errors"] {
            guard let errors = value as? Int, errors >= 0 else {
                throw VisionError(.invalidPolicy, "max_errors must be a non-negative integer")
            }
            maximumErrors = errors
        }
        if let value = object["severity"] {
            guard let entries = value as? [String: String] else {
                throw VisionError(.invalidPolicy, "severity must map check ids to \"error\", \"warning\", \"info\" or \"off\"")
            }
            for (check, level) in entries {
                guard CheckCatalogue.entry(check) != nil else {
                    throw VisionError(.invalidPolicy, "severity names unknown check \"\(check)\"; `lightbox dataset checks` lists them")
                }
                if level == "off" {
                    severities[check] = .some(nil)
                } else if let severity = Severity(rawValue: level) {
                    severities[check] = severity
                } else {
                    throw VisionError(.invalidPolicy, "severity of \(check) must be error, warning, info or off, not \"\(level)\"")
                }
            }
        }
        if let value = object["thresholds"] {
            guard let entries = value as? [String: Any] else {
                throw VisionError(.invalidPolicy, "thresholds must map threshold names to numbers")
            }
            for (key, raw) in entries {
                guard let number = (raw as? NSNumber)?.doubleValue, number.isFinite, number >= 0, !(raw is Bool) else {
                    throw VisionError(.invalidPolicy, "threshold \(key) must be a non-negative number")
                }
                if let path = CheckThresholds.keys.first(where: { $0.0 == key })?.1 {
                    thresholds[keyPath: path] = number
                } else if let path = CheckThresholds.integerKeys.first(where: { $0.0 == key })?.1 {
                    guard number == number.rounded() else { throw VisionError(.invalidPolicy, "threshold \(key) must be an integer") }
                    thresholds[keyPath: path] = Int(number)
                } else {
                    let known = (CheckThresholds.keys.map(\.0) + CheckThresholds.integerKeys.map(\.0)).sorted()
                    throw VisionError(.invalidPolicy, "unknown threshold \"\(key)\"; known: \(known.joined(separator: ", "))")
                }
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
        for (key, path) in CheckThresholds.integerKeys { thresholdValues[key] = .int(thresholds[keyPath: path]) }
        var severityValues: [String: ReportValue] = [:]
        for (check, severity) in severities { severityValues[check] = .string(severity?.rawValue ?? "off") }
        return [
            "min_score": .int(minimumScore), "max_errors": .int(maximumErrors),
            "severity": .object(severityValues), "thresholds": .object(thresholdValues),
        ]
    }
}
