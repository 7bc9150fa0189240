/// One thing a check found: which check, how bad, where, what, and the figures behind it.
public struct Finding: Sendable, Equatable {
    /// The check's stable id, e.g. `geometry.degenerate-box` (see ``CheckID``).
    public var check: CheckID
    public var severity: Severity
    /// The image's path relative to the dataset root, or `file:line` in an annotation file, or `dataset` for
    /// findings about the whole set.
    public var item: String
    /// One sentence for people: what is wrong and, where it helps, what to do.
    public var message: String
    /// The figures behind the finding (measured value, threshold, other items involved).
    public var details: [String: ReportValue]

    public init(
        _ check: CheckID, severity: Severity? = nil, item: String, message: String,
        details: [String: ReportValue] = [:]
    ) {
        self.check = check
        self.severity = severity ?? check.defaultSeverity
        self.item = item
        self.message = message
        self.details = details
    }

    /// The item for findings about the whole dataset.
    public static let datasetItem = "dataset"
}
