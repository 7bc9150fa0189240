/// Median, MAD and quartiles: statistics that a few extreme values cannot drag (Datumaro's mean ± 5σ can be
/// masked by the very outliers it looks for).
enum RobustStatistics {
    static func median(_ values: [Double]) -> Double {
        quantile(values.sorted(), 0.5)
    }

    /// Linear-interpolated quantile of sorted values (numpy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// Robust z-scores |x − median| / (1.4826·MAD); nil when the MAD is 0 (no spread to scale by).
    static func robustZ(_ values: [Double]) -> (median: Double, scores: [Double])? {
        let centre = median(values)
        let mad = median(values.map { abs($0 - centre) })
        guard mad > 0 else { return nil }
        return (centre, values.map { abs($0 - centre) / (1.4826 * mad) })
    }
}
