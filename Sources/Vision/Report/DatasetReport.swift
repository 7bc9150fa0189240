public import LightboxCrypto

/// The result of checking a dataset: findings, statistics, score and verdict, and the canonical JSON that is
/// published and signed.
public struct DatasetReport: Sendable {
    /// The report format's name and version, written into the JSON.
    public static let formatName = "lightbox.vision-report/v1"

    public var format: AnnotationFormat
    /// Findings with the policy's severities (checks switched off are left out), sorted by item then check.
    public var findings: [Finding]
    public var score: Int
    public var passed: Bool
    public var policy: QualityPolicy
    /// Counts by severity.
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    public var statistics: ReportValue
    /// The canonical JSON (RFC 8785 style) and its SHA-256: what the node's attestation signs.
    public var canonicalJSON: [UInt8]
    public var sha256: [UInt8] { SHA256.hash(canonicalJSON) }

    init(
        format: AnnotationFormat, flags: [Flag], imagePaths: [String], policy: QualityPolicy,
        statistics: [String: ReportValue], hashes: ReportValue
    ) {
        let imageCount = imagePaths.count
        self.format = format
        self.policy = policy
        var kept: [(finding: Finding, image: Int?)] = []
        for flag in flags {
            guard let severity = policy.severity(of: flag.finding) else { continue }
            var finding = flag.finding
            finding.severity = severity
            // A finding on an annotation line also names its image, so a reader can find the picture.
            if let image = flag.image, imagePaths.indices.contains(image), finding.item != imagePaths[image] {
                finding.details["image"] = .string(imagePaths[image])
            }
            kept.append((finding, flag.image))
        }
        kept.sort { a, b in
            let (x, y) = (a.finding, b.finding)
            if x.item != y.item { return x.item.utf8.lexicographicallyPrecedes(y.item.utf8) }
            if x.check != y.check { return x.check < y.check }
            return x.message.utf8.lexicographicallyPrecedes(y.message.utf8)
        }
        findings = kept.map(\.finding)
        errors = findings.count { $0.severity == .error }
        warnings = findings.count { $0.severity == .warning }
        infos = findings.count { $0.severity == .info }
        score = QualityScore.score(imageCount: imageCount, findings: kept.map { ($0.finding.check, $0.finding.severity, $0.image) })
        passed = errors <= policy.maximumErrors && score >= policy.minimumScore
        var byCheck: [String: ReportValue] = [:]
        for finding in findings {
            if case .int(let count) = byCheck[finding.check.rawValue] ?? .int(0) {
                byCheck[finding.check.rawValue] = .int(count + 1)
            }
        }
        var statistics = statistics
        statistics["findings"] = [
            "error": .int(errors), "warning": .int(warnings), "info": .int(infos), "by_check": .object(byCheck),
        ]
        self.statistics = .object(statistics)
        let document: ReportValue = [
            "report": .string(Self.formatName),
            "format": .string(format.rawValue),
            "statistics": self.statistics,
            "findings": .array(findings.map(\.reportValue)),
            "policy": policy.reportValue,
            "score": .int(score),
            "verdict": .string(passed ? "pass" : "fail"),
            "images": hashes,
        ]
        canonicalJSON = CanonicalJSON.bytes(document)
    }
}

extension Finding {
    /// The finding as the report writes it.
    var reportValue: ReportValue {
        [
            "check": .string(check.rawValue), "severity": .string(severity.rawValue), "item": .string(item),
            "message": .string(message), "details": .object(details),
        ]
    }
}
