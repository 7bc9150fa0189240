/// The score from 0 to 100: the share of images without findings, weighed by each image's worst finding, less
/// fixed points for findings about the whole dataset.
///
///     score = 100 × (1 − (1.0·E + 0.25·W + 0.05·I) / N) − 5·(dataset errors) − 1·(dataset warnings)
///
/// where N is the number of images and E, W, I count the images whose worst finding is an error, a warning or an
/// info; findings not tied to one image (a malformed annotation line, an unused category) count at most three
/// times per check. Clamped to 0…100 and rounded half up. A dataset with no images scores 0.
public enum QualityScore {
    public static let imageWeights: [Severity: Double] = [.error: 1.0, .warning: 0.25, .info: 0.05]
    public static let datasetPoints: [Severity: Double] = [.error: 5, .warning: 1, .info: 0]

    /// The score of findings with the images they concern (nil: the whole dataset).
    static func score(imageCount: Int, findings: [(check: CheckID, severity: Severity, image: Int?)]) -> Int {
        guard imageCount > 0 else { return 0 }
        var worst: [Int: Severity] = [:]
        var datasetPenalty = 0.0
        var counted: [CheckID: Int] = [:]
        for (check, severity, image) in findings {
            if let image {
                worst[image] = max(worst[image] ?? severity, severity)
            } else if counted[check, default: 0] < 3 {
                counted[check, default: 0] += 1
                datasetPenalty += datasetPoints[severity]!
            }
        }
        let imagePenalty = worst.values.reduce(0.0) { $0 + imageWeights[$1]! } / Double(imageCount)
        let raw = 100 * (1 - imagePenalty) - datasetPenalty
        return Int(min(100, max(0, raw)).rounded(.toNearestOrAwayFromZero))
    }
}
