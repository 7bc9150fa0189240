import Foundation

extension GeometryChecks {
    /// Images whose number of objects (boxes and shapes) is far from the rest of their split's: a robust outlier
    /// of log(1 + count) and at least ``minimumCountDifference`` objects from the split's median. Images with none
    /// are left to `labels.image-without-annotations`; splits of fewer than ``minimumSplitSize`` annotated images
    /// are too small to say what is usual.
    static func boxCountOutliers(_ context: CheckContext) -> [Flag] {
        var counts: [Int: Int] = [:]
        for annotation in context.dataset.annotations where annotation.box != nil || annotation.segmentation != nil {
            counts[annotation.image, default: 0] += 1
        }
        var bySplit: [String: [(image: Int, count: Int)]] = [:]
        for (image, count) in counts where context.dataset.images.indices.contains(image) {
            bySplit[context.dataset.images[image].split ?? "", default: []].append((image, count))
        }
        var flags: [Flag] = []
        for split in bySplit.keys.sorted() {
            let entries = bySplit[split]!.sorted { $0.image < $1.image }
            guard entries.count >= minimumSplitSize else { continue }
            let values = entries.map { log(1 + Double($0.count)) }
            let centre = RobustStatistics.median(values)
            // A split where nearly every image has the same count still has a spread of a few objects.
            let spread = max(RobustStatistics.median(values.map { abs($0 - centre) }), 0.1) * 1.4826
            let medianCount = exp(centre) - 1
            for (offset, entry) in entries.enumerated() {
                let score = abs(values[offset] - centre) / spread
                guard score > context.thresholds.outlierZ, abs(Double(entry.count) - medianCount) >= minimumCountDifference
                else { continue }
                let image = context.dataset.images[entry.image]
                let more = Double(entry.count) > medianCount
                flags.append(Flag(Finding(
                    .boxCountOutlier, item: image.path,
                    message: "\(entry.count) objects, where \(split.isEmpty ? "its images" : "the \(split) images") have "
                        + "\(format(medianCount)) as a rule (robust z \(format(score))): "
                        + (more ? "a crowd annotated box by box, or boxes repeated?" : "an image left half annotated?"),
                    details: [
                        "objects": .int(entry.count), "median": .double(QualityChecks.rounded(medianCount)),
                        "robust_z": .double(QualityChecks.rounded(score)),
                    ]), image: entry.image))
            }
        }
        return flags
    }

    static let minimumSplitSize = 20
    static let minimumCountDifference = 10.0
}
