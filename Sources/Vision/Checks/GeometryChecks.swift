import Foundation

/// Boxes, polygons and masks: non-finite values, degenerate and out-of-bounds boxes, COCO's bbox, segmentation and
/// area disagreeing, RLE of another size, bad polygons, duplicate and conflicting boxes, per-class size and aspect
/// outliers, VOC written 0-based and YOLO written in pixels.
enum GeometryChecks {
    static func run(_ context: CheckContext) -> [Flag] {
        var flags: [Flag] = []
        let (pixelFiles, pixelFlags) = yoloInPixels(context)
        flags += pixelFlags
        flags += vocZeroBased(context)
        var boxes: [(annotation: Int, box: PixelBox)] = []
        for (position, annotation) in context.dataset.annotations.enumerated() {
            if let values = annotation.box, !values.allSatisfy(\.isFinite) {
                flags.append(Flag(Finding(
                    .invalidValue, item: annotation.location.description,
                    message: "the box has a non-finite value (\(values.map { "\($0)" }.joined(separator: ", ")))"),
                    image: annotation.image))
                continue
            }
            if pixelFiles.contains(annotation.location.file) { continue }
            let image = context.images.indices.contains(annotation.image) ? context.images[annotation.image] : nil
            let size = image?.size
            flags += segmentation(annotation, imageSize: size, context: context)
            let box = PixelBox(annotation, imageSize: size)
            if let flag = keypointsOutside(annotation, box: box, imageSize: size, context: context) { flags.append(flag) }
            guard let box else { continue }
            if let flag = degenerateOrOutside(annotation, box: box, imageSize: size, context: context) {
                flags.append(flag)
                if flag.finding.check == .degenerateBox { continue }
            }
            if let image, let flag = onNothing(annotation, box: box, image: image) { flags.append(flag) }
            boxes.append((position, box))
        }
        flags += overlapping(context, boxes: boxes)
        flags += outliers(context, boxes: boxes)
        flags += boxCountOutliers(context)
        return flags
    }

    private static func degenerateOrOutside(
        _ annotation: Annotation, box: PixelBox, imageSize: (width: Int, height: Int)?, context: CheckContext
    ) -> Flag? {
        let thresholds = context.thresholds
        let item = annotation.location.description
        if box.width < thresholds.minimumBoxSide || box.height < thresholds.minimumBoxSide {
            return Flag(Finding(
                .degenerateBox, item: item,
                message: "the box is \(format(box.width))×\(format(box.height)) px: too small to hold an object",
                details: ["width": .double(QualityChecks.rounded(box.width)), "height": .double(QualityChecks.rounded(box.height))]),
                image: annotation.image)
        }
        guard let size = imageSize else { return nil }
        let tolerance = annotation.convention == .yoloNormalised
            ? thresholds.outOfBoundsFraction * Double(max(size.width, size.height)) : thresholds.outOfBoundsPixels
        if box.x0 < -tolerance || box.y0 < -tolerance || box.x1 > Double(size.width) + tolerance
            || box.y1 > Double(size.height) + tolerance
        {
            return Flag(Finding(
                .outOfBounds, item: item,
                message: "the box [\(format(box.x0)), \(format(box.y0)), \(format(box.x1)), \(format(box.y1))] reaches "
                    + "outside the \(size.width)×\(size.height) image",
                details: ["box_xyxy": .array([box.x0, box.y0, box.x1, box.y1].map { .double(QualityChecks.rounded($0)) })]),
                image: annotation.image)
        }
        return nil
    }

    /// COCO segmentations: polygons with under 3 points or no area, masks of another size, and bbox or area that
    /// disagree with the segmentation.
    private static func segmentation(
        _ annotation: Annotation, imageSize: (width: Int, height: Int)?, context: CheckContext
    ) -> [Flag] {
        guard let segmentation = annotation.segmentation else { return [] }
        let item = annotation.location.description
        var flags: [Flag] = []
        let extent: PixelBox?
        var area: Double
        switch segmentation {
        case .polygons(let polygons):
            var bounds: PixelBox?
            var total = 0.0
            for (number, polygon) in polygons.enumerated() {
                let points = polygon.count / 2
                let polygonArea = Polygons.area(polygon)
                if polygon.count % 2 != 0 || points < 3 || polygonArea == 0 || !polygon.allSatisfy(\.isFinite) {
                    flags.append(Flag(Finding(
                        .invalidPolygon, item: item,
                        message: "polygon \(number + 1) has \(polygon.count) coordinates"
                            + (points >= 3 && polygon.count % 2 == 0 ? " and no area" : "; a polygon needs at least 3 points"),
                        details: ["coordinates": .int(polygon.count)]), image: annotation.image))
                    continue
                }
                total += polygonArea
                let b = Polygons.bounds([polygon])!
                let extent = PixelBox(x0: b[0], y0: b[1], x1: b[0] + b[2], y1: b[1] + b[3])
                bounds = bounds.map {
                    PixelBox(x0: min($0.x0, extent.x0), y0: min($0.y0, extent.y0), x1: max($0.x1, extent.x1), y1: max($0.y1, extent.y1))
                } ?? extent
            }
            extent = bounds
            area = total
        case .mask(let mask):
            if let size = imageSize, mask.height != size.height || mask.width != size.width {
                flags.append(Flag(Finding(
                    .rleSizeMismatch, item: item,
                    message: "the mask is \(mask.width)×\(mask.height) (size [h, w] = [\(mask.height), \(mask.width)]) "
                        + "but the image is \(size.width)×\(size.height)",
                    details: ["mask_size": [.int(mask.height), .int(mask.width)], "image_size": [.int(size.height), .int(size.width)]]),
                    image: annotation.image))
            }
            let box = mask.boundingBox
            extent = box[2] > 0 && box[3] > 0 ? PixelBox(x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3]) : nil
            area = Double(mask.area)
        }
        let tolerance = context.thresholds.boxSegmentationPixels
        if let extent, let box = PixelBox(annotation, imageSize: imageSize) {
            let gap = max(abs(box.x0 - extent.x0), abs(box.y0 - extent.y0), abs(box.x1 - extent.x1), abs(box.y1 - extent.y1))
            if gap > tolerance {
                flags.append(Flag(Finding(
                    .boxSegmentationMismatch, item: item,
                    message: "the bbox is \(format(gap)) px from the segmentation's extent "
                        + "[\(format(extent.x0)), \(format(extent.y0)), \(format(extent.width)), \(format(extent.height))]",
                    details: ["gap_px": .double(QualityChecks.rounded(gap))]), image: annotation.image))
            }
        }
        // COCO's `area` is the rasterised pixel count (pycocotools); the shoelace area stands in without a size.
        if let size = imageSize, case .polygons(let polygons) = segmentation, flags.isEmpty,
            let pixels = Polygons.rasterise(polygons, height: size.height, width: size.width)?.area
        {
            area = Double(pixels)
        }
        if let written = annotation.area, area > 0 {
            let difference = abs(written - area)
            if difference > max(context.thresholds.areaTolerance * area, 4) {
                flags.append(Flag(Finding(
                    .areaMismatch, item: item,
                    message: "area is \(format(written)) but the segmentation covers \(format(area)) px²",
                    details: ["area": .double(written), "segmentation_area": .double(QualityChecks.rounded(area))]),
                    image: annotation.image))
            }
        }
        return flags
    }

    /// Same-class boxes that overlap almost entirely (duplicates) and different-class ones that overlap entirely
    /// (a label probably swapped), per image.
    private static func overlapping(_ context: CheckContext, boxes: [(annotation: Int, box: PixelBox)]) -> [Flag] {
        let thresholds = context.thresholds
        let annotations = context.dataset.annotations
        var byImage: [Int: [(annotation: Int, box: PixelBox)]] = [:]
        for entry in boxes { byImage[annotations[entry.annotation].image, default: []].append(entry) }
        var flags: [Flag] = []
        for image in byImage.keys.sorted() {
            // Pairs are compared within the first 2,000 boxes of an image: a hostile file of identical boxes
            // would otherwise cost quadratic time.
            let entries = Array(byImage[image]!.prefix(2000)).sorted { $0.box.x0 < $1.box.x0 }
            for first in entries.indices {
                for second in (first + 1)..<entries.count {
                    let a = entries[first], b = entries[second]
                    if b.box.x0 >= a.box.x1 { break }
                    let iou = a.box.intersectionOverUnion(b.box)
                    let later = max(a.annotation, b.annotation), earlier = min(a.annotation, b.annotation)
                    let same = annotations[a.annotation].category == annotations[b.annotation].category
                    if same, iou >= thresholds.duplicateBoxIoU {
                        flags.append(Flag(Finding(
                            .duplicateBox, item: annotations[later].location.description,
                            message: "duplicates the \(context.name(ofCategory: annotations[later].category)) box at "
                                + "\(annotations[earlier].location) (IoU \(format(iou)))",
                            details: ["other": .string(annotations[earlier].location.description), "iou": .double(QualityChecks.rounded(iou))]),
                            image: image))
                    } else if !same, iou >= thresholds.conflictingLabelIoU {
                        flags.append(Flag(Finding(
                            .conflictingBoxLabels, item: annotations[later].location.description,
                            message: "labelled \(context.name(ofCategory: annotations[later].category)) on the same box as "
                                + "\(context.name(ofCategory: annotations[earlier].category)) at \(annotations[earlier].location) "
                                + "(IoU \(format(iou))); one label is probably wrong",
                            details: ["other": .string(annotations[earlier].location.description), "iou": .double(QualityChecks.rounded(iou))]),
                            image: image))
                    }
                }
            }
        }
        return flags
    }

    /// Boxes far from their class's typical size or shape, by robust z-score of log area and log aspect ratio.
    private static func outliers(_ context: CheckContext, boxes: [(annotation: Int, box: PixelBox)]) -> [Flag] {
        let thresholds = context.thresholds
        let annotations = context.dataset.annotations
        var byClass: [Int: [(annotation: Int, box: PixelBox)]] = [:]
        for entry in boxes where entry.box.area > 0 {
            guard let category = annotations[entry.annotation].category else { continue }
            byClass[category, default: []].append(entry)
        }
        var flags: [Flag] = []
        for category in byClass.keys.sorted() {
            let entries = byClass[category]!
            guard entries.count >= thresholds.outlierMinimumCount else { continue }
            let measures: [(CheckID, String, [Double])] = [
                (.sizeOutlier, "area", entries.map { log($0.box.area) }),
                (.aspectOutlier, "aspect ratio", entries.map { log($0.box.width / $0.box.height) }),
            ]
            for (check, what, values) in measures {
                guard let (median, scores) = RobustStatistics.robustZ(values) else { continue }
                for (offset, score) in scores.enumerated() where score > thresholds.outlierZ {
                    let annotation = annotations[entries[offset].annotation]
                    flags.append(Flag(Finding(
                        check, item: annotation.location.description,
                        message: "its \(what) \(format(exp(values[offset]))) is far from the \(context.name(ofCategory: category)) "
                            + "median \(format(exp(median))) (robust z \(format(score)))",
                        details: ["value": .double(QualityChecks.rounded(exp(values[offset]))), "median": .double(QualityChecks.rounded(exp(median))),
                                  "robust_z": .double(QualityChecks.rounded(score))]), image: annotation.image))
                }
            }
        }
        return flags
    }

    /// YOLO label files whose numbers are pixels, not fractions: one finding per file.
    private static func yoloInPixels(_ context: CheckContext) -> (Set<String>, [Flag]) {
        // A file is in pixels when most of its boxes have a value above the threshold; a single such box is an
        // ordinary out-of-bounds box.
        var files: [String: (image: Int, largest: Double)] = [:]
        var boxCounts: [String: (all: Int, large: Int)] = [:]
        for annotation in context.dataset.annotations where annotation.convention == .yoloNormalised {
            guard let box = annotation.box else { continue }
            let largest = box.filter(\.isFinite).max() ?? 0
            let isLarge = largest > context.thresholds.yoloPixelValue
            let counts = boxCounts[annotation.location.file] ?? (0, 0)
            boxCounts[annotation.location.file] = (counts.all + 1, counts.large + (isLarge ? 1 : 0))
            guard isLarge else { continue }
            files[annotation.location.file] = (annotation.image, max(largest, files[annotation.location.file]?.largest ?? 0))
        }
        files = files.filter { file, _ in boxCounts[file].map { 2 * $0.large > $0.all } ?? false }
        let flags = files.keys.sorted().map { file in
            Flag(Finding(
                .yoloPixelCoordinates, item: file,
                message: "YOLO coordinates must be fractions of the image size, but this file has values up to "
                    + "\(format(files[file]!.largest)): it is written in pixels; divide x and width by the image width, "
                    + "y and height by its height",
                details: ["largest_value": .double(files[file]!.largest)]), image: files[file]!.image)
        }
        return (Set(files.keys), flags)
    }

    /// VOC files written 0-based: a box starts at coordinate 0, which VOC's 1-based pixels do not have, and no box
    /// reaches the right or bottom edge (xmax = width or ymax = height), which only 1-based coordinates can. A file
    /// whose other boxes reach the far edge is 1-based with a box clamped at 0, not shifted, and is not flagged.
    private static func vocZeroBased(_ context: CheckContext) -> [Flag] {
        struct Evidence {
            var image: Int?
            var startingAtZero = 0
            var boxes = 0
            var reachesFarEdge = false
        }
        var files: [String: Evidence] = [:]
        for annotation in context.dataset.annotations where annotation.convention == .vocOneBased {
            guard let box = annotation.box, box.count == 4, box.allSatisfy(\.isFinite) else { continue }
            var evidence = files[annotation.location.file] ?? Evidence()
            evidence.boxes += 1
            if box[0] == 0 || box[1] == 0 {
                evidence.startingAtZero += 1
                if evidence.image == nil { evidence.image = annotation.image }
            }
            if context.images.indices.contains(annotation.image), let size = context.images[annotation.image].size,
                box[2] >= Double(size.width) || box[3] >= Double(size.height)
            {
                evidence.reachesFarEdge = true
            }
            files[annotation.location.file] = evidence
        }
        return files.keys.sorted().compactMap { file in
            let evidence = files[file]!
            guard let image = evidence.image, !evidence.reachesFarEdge else { return nil }
            let some = evidence.startingAtZero == 1 ? "a box starts" : "\(evidence.startingAtZero) boxes start"
            return Flag(Finding(
                .vocZeroBased, item: file,
                message: "\(some) at coordinate 0, which Pascal VOC's 1-based pixels do not have, and no box reaches "
                    + "the image's right or bottom edge: the file was written 0-based, so all \(evidence.boxes) of its "
                    + "boxes are shifted by one pixel; add 1 to every xmin, ymin, xmax and ymax in it (none will pass "
                    + "the image's edge)",
                details: ["boxes": .int(evidence.boxes), "boxes_at_zero": .int(evidence.startingAtZero)]),
                image: image)
        }
    }

    /// Labelled keypoints (visibility above 0) past the image's edge, or more than a tenth of the box's side
    /// outside the box: one finding per annotation, naming the first such keypoint.
    private static func keypointsOutside(
        _ annotation: Annotation, box: PixelBox?, imageSize: (width: Int, height: Int)?, context: CheckContext
    ) -> Flag? {
        guard let values = annotation.keypoints, !values.isEmpty else { return nil }
        let tolerance = context.thresholds.outOfBoundsPixels
        var outside: [(index: Int, x: Double, y: Double, place: String)] = []
        for index in 0..<(values.count / 3) where values[3 * index + 2] > 0 {
            let (x, y) = (values[3 * index], values[3 * index + 1])
            if let size = imageSize,
                x < -tolerance || y < -tolerance || x > Double(size.width) + tolerance || y > Double(size.height) + tolerance
            {
                outside.append((index, x, y, "outside the \(size.width)×\(size.height) image"))
            } else if let box, box.width > 0, box.height > 0 {
                let marginX = max(2, box.width / 10), marginY = max(2, box.height / 10)
                if x < box.x0 - marginX || x > box.x1 + marginX || y < box.y0 - marginY || y > box.y1 + marginY {
                    outside.append((index, x, y, "outside its box"))
                }
            }
        }
        guard let first = outside.first else { return nil }
        let names = annotation.category.flatMap { id in context.dataset.categories.first { $0.id == id }?.keypoints } ?? []
        let name = names.indices.contains(first.index) ? "\"\(names[first.index])\"" : "\(first.index + 1)"
        let more = outside.count > 1 ? " (and \(outside.count - 1) more)" : ""
        return Flag(Finding(
            .keypointOutside, item: annotation.location.description,
            message: "keypoint \(name) at (\(format(first.x)), \(format(first.y))) is \(first.place)\(more); "
                + "check its coordinates, or mark it not labelled (visibility 0)",
            details: ["keypoints_outside": .int(outside.count)]), image: annotation.image)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.2f", value)
    }
}
