import Foundation

/// Image-quality checks in CleanVision's spirit: too dark, too bright, low information, blurry, odd size, odd
/// aspect ratio, greyscale among colour images.
enum QualityChecks {
    static func run(_ context: CheckContext) -> [Flag] {
        let thresholds = context.thresholds
        var flags: [Flag] = []
        let decoded = context.images.enumerated().filter { !$0.element.isRepeat && $0.element.summary?.measurements != nil }
        let colourShare = decoded.isEmpty ? 0 : Double(decoded.filter { !$0.element.summary!.measurements!.isGreyscale }.count) / Double(decoded.count)
        for (position, image) in decoded {
            let path = image.entry.path
            let measured = image.summary!.measurements!
            if measured.brightness99 < thresholds.dark {
                flags.append(Flag(Finding(
                    .dark, item: path,
                    message: "too dark: 99% of its pixels are below \(percent(measured.brightness99)) brightness",
                    details: ["brightness_p99": .double(rounded(measured.brightness99)), "threshold": .double(thresholds.dark)]),
                    image: position))
            }
            if measured.brightness5 > thresholds.bright {
                flags.append(Flag(Finding(
                    .bright, item: path,
                    message: "too bright: 95% of its pixels are above \(percent(measured.brightness5)) brightness",
                    details: ["brightness_p5": .double(rounded(measured.brightness5)), "threshold": .double(thresholds.bright)]),
                    image: position))
            }
            if measured.entropy < thresholds.lowInformationBits {
                flags.append(Flag(Finding(
                    .lowInformation, item: path,
                    message: "low information: its grey levels carry \(String(format: "%.2f", measured.entropy)) bits "
                        + "of entropy (a near-blank or flat image)",
                    details: ["entropy_bits": .double(rounded(measured.entropy)), "threshold": .double(thresholds.lowInformationBits)]),
                    image: position))
            } else if measured.sharpness < thresholds.blurrySharpness {
                flags.append(Flag(Finding(
                    .blurry, item: path,
                    message: "blurry: almost none of its contrast is in fine detail",
                    details: ["sharpness": .double(rounded(measured.sharpness)), "threshold": .double(thresholds.blurrySharpness)]),
                    image: position))
            }
            if measured.isGreyscale, colourShare > thresholds.colourMajority {
                flags.append(Flag(Finding(
                    .greyscaleInColourSet, item: path,
                    message: "greyscale in a set where \(Int((colourShare * 100).rounded()))% of the images are in colour",
                    details: ["colour_share": .double(rounded(colourShare))]), image: position))
            }
        }
        flags += sizeOutliers(context)
        return flags
    }

    /// Odd sizes (IQR rule on √(w·h)) and odd aspect ratios (absolute floor, and robust outliers of log(w/h)).
    private static func sizeOutliers(_ context: CheckContext) -> [Flag] {
        let thresholds = context.thresholds
        let sized = context.images.enumerated().compactMap { position, image -> (Int, String, Int, Int)? in
            guard !image.isRepeat, let header = image.summary?.header, image.summary?.failure == nil else { return nil }
            return (position, image.entry.path, header.width, header.height)
        }
        guard !sized.isEmpty else { return [] }
        var flags: [Flag] = []
        let sides = sized.map { (Double($0.2) * Double($0.3)).squareRoot() }
        let sorted = sides.sorted()
        let q1 = RobustStatistics.quantile(sorted, 0.25), q3 = RobustStatistics.quantile(sorted, 0.75)
        let median = RobustStatistics.quantile(sorted, 0.5)
        let iqr = q3 - q1
        let logAspects = sized.map { log(Double($0.2) / Double($0.3)) }
        let aspectScores = sized.count >= thresholds.outlierMinimumCount ? RobustStatistics.robustZ(logAspects) : nil
        for (offset, (position, path, width, height)) in sized.enumerated() {
            let side = sides[offset]
            let outside = side < q1 - thresholds.oddSizeIQRFactor * iqr || side > q3 + thresholds.oddSizeIQRFactor * iqr
            if outside, abs(side / median - 1) > thresholds.oddSizeMinimumDeviation {
                flags.append(Flag(Finding(
                    .oddSize, item: path,
                    message: "\(width)×\(height) is far from the set's typical size (√(w·h) median \(Int(median.rounded())) px)",
                    details: ["size": [.int(width), .int(height)], "median_side": .double(rounded(median))]), image: position))
            }
            let ratio = min(Double(width) / Double(height), Double(height) / Double(width))
            var odd = ratio < thresholds.oddAspectRatio
            if let (centre, scores) = aspectScores, scores[offset] > thresholds.outlierZ,
                abs(logAspects[offset] - centre) > log(1.5)
            {
                odd = true
            }
            if odd {
                flags.append(Flag(Finding(
                    .oddAspectRatio, item: path,
                    message: "aspect ratio \(width):\(height) is unusual for this set",
                    details: ["size": [.int(width), .int(height)], "ratio": .double(rounded(ratio))]), image: position))
            }
        }
        return flags
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
