import Foundation

/// One generated image before it is written.
struct PlannedImage {
    var path: String
    var split: String?
    var width: Int
    var height: Int
    var jpeg: Bool
    var boxes: [PlannedBox]
    /// What happens to the pixels or the file.
    var pixelDefect: PlantedDefect?
    /// An image written as a copy of another's bytes or pixels.
    var copyOf: Int?
    var nearCopy = false
    var declared = true
    var fileWritten = true
    var declaredSize: (Int, Int)?
}

/// A box in COCO's [x, y, w, h] pixels with the category it carries and, for COCO, its segmentation and area.
struct PlannedBox {
    var category: Int
    var box: [Double]
    var segmentation: Segmentation?
    var area: Double?
    var drawn = true
    /// Written with three numbers instead of four (a malformed COCO bbox).
    var writtenShort = false
}

/// The images, boxes and categories of a generated dataset, and the defects planted in them.
struct GenerationPlan {
    let generator: DatasetGenerator
    var images: [PlannedImage] = []
    var categories: [Category]
    var planted: [PlantedFinding] = []
    var random: SplitMix64
    /// Label files to damage after writing (YOLO line, VOC file), by image.
    var malformed: Set<Int> = []
    var pixelFiles: Set<Int> = []
    var zeroBasedFiles: Set<Int> = []

    init(generator: DatasetGenerator) {
        self.generator = generator
        random = SplitMix64(seed: generator.seed)
        let firstID = generator.format == .coco ? 1 : 0
        categories = generator.classes.enumerated().map { Category(id: $0.offset + firstID, name: $0.element) }
        for index in 0..<generator.imageCount {
            // FiftyOne's layout has no split folders or lists.
            let splits = generator.layout == .fiftyOne ? [] : generator.splits
            let split = splits.isEmpty ? nil : splits[index % 4 == 3 ? min(1, splits.count - 1) : 0]
            images.append(newImage(index: index, split: split, width: generator.width, height: generator.height))
        }
    }

    private mutating func newImage(index: Int, split: String?, width: Int, height: Int) -> PlannedImage {
        let jpeg = random.unit() < generator.jpegShare
        let name = String(format: "img_%05d.%@", index, jpeg ? "jpg" : "png")
        let folder: String =
            switch generator.format {
            case .voc: generator.layout == .fiftyOne ? "data" : "JPEGImages"
            case .coco, .yolo, .cvat, .imagenet: split.map { "images/\($0)" } ?? "images"
            }
        var boxes: [PlannedBox] = []
        for _ in 0..<random.int(1...3) {
            let side = Double(min(width, height)) * 0.12 * pow(0.35 / 0.12, random.unit())
            let aspect = 0.8 * pow(1.25 / 0.8, random.unit())
            let w = (side * aspect.squareRoot()).rounded(), h = (side / aspect.squareRoot()).rounded()
            let x = (2 + random.unit() * (Double(width) - w - 4)).rounded(), y = (2 + random.unit() * (Double(height) - h - 4)).rounded()
            boxes.append(PlannedBox(category: categories[random.int(0...(categories.count - 1))].id, box: [x, y, w, h]))
        }
        var image = PlannedImage(path: "\(folder)/\(name)", split: split, width: width, height: height, jpeg: jpeg, boxes: boxes)
        if generator.format == .imagenet { image.path = classFolderPath(image) }
        return image
    }

    /// Where a class-folder dataset keeps an image: `images/<split>/<class of its first box>/<name>`, or the split
    /// folder itself for an image without a label.
    func classFolderPath(_ image: PlannedImage) -> String {
        let name = DatasetPaths.name(image.path)
        let split = image.split.map { "images/\($0)" } ?? "images"
        guard let category = image.boxes.first?.category, let label = categories.first(where: { $0.id == category })
        else { return split + "/" + name }
        return split + "/" + label.name + "/" + name
    }

    /// Plants a defect on image `target` (or on a new image made from it).
    mutating func plant(_ defect: PlantedDefect, on target: Int) {
        let check = defect.check(in: generator.format)!
        var concerned = target
        switch defect {
        case .truncatedImage, .corruptImage, .dark, .bright, .lowInformation, .blurry, .greyscale:
            images[target].pixelDefect = defect
        case .exactDuplicate, .nearDuplicate, .labelConflict, .splitLeakage:
            var copy = images[target]
            let dot = copy.path.lastIndex(of: ".")!
            copy.path = copy.path[..<dot] + "_copy" + copy.path[dot...]
            copy.copyOf = target
            copy.nearCopy = defect != .exactDuplicate
            if defect == .labelConflict {
                copy.boxes = copy.boxes.map { box in
                    var changed = box
                    changed.category = categories[(categories.firstIndex { $0.id == box.category }! + 1) % categories.count].id
                    return changed
                }
            }
            if defect == .splitLeakage, generator.splits.count > 1 {
                let other = generator.splits.first { $0 != copy.split } ?? copy.split
                copy.path = copy.path.replacingOccurrences(of: "/\(copy.split ?? "")/", with: "/\(other ?? "")/")
                copy.split = other
            }
            images.append(copy)
            concerned = images.count - 1
        case .sizeMismatch:
            images[target].declaredSize = (images[target].width + 16, images[target].height)
        case .missingImage:
            images[target].fileWritten = false
        case .unlistedImage:
            images[target].declared = false
        case .oddSize, .oddAspectRatio:
            let (w, h) = defect == .oddSize ? (generator.width / 5, generator.height / 5) : (generator.width * 2, generator.width * 2 / 7)
            var image = newImage(index: 90_000 + target, split: images[target].split, width: w, height: h)
            image.boxes = [PlannedBox(category: categories[0].id, box: [Double(w / 4), Double(h / 4), Double(w / 3), Double(h / 3)])]
            images.append(image)
            concerned = images.count - 1
        case .degenerateBox:
            images[target].boxes.append(PlannedBox(category: categories[0].id, box: [20, 20, generator.format == .voc ? -3 : 0.4, 30], drawn: false))
        case .outOfBounds:
            let w = Double(images[target].width)
            images[target].boxes.append(PlannedBox(category: categories[0].id, box: [w - 40, 30, 80, 40], drawn: false))
        case .undefinedCategory:
            images[target].boxes[0].category = 77
        case .unusedCategory:
            let id = (categories.map(\.id).max() ?? 0) + 1
            categories.append(Category(id: id, name: "never-used"))
        case .unannotatedImage:
            images[target].boxes = []
        case .fewSamples:
            let id = (categories.map(\.id).max() ?? 0) + 1
            categories.append(Category(id: id, name: "rare"))
            images[target].boxes[0].category = id
        case .duplicateBox:
            var twin = images[target].boxes[0]
            twin.box[0] += 1
            twin.drawn = false
            images[target].boxes.append(twin)
        case .conflictingLabels:
            var twin = images[target].boxes[0]
            twin.category = categories[(categories.firstIndex { $0.id == twin.category }! + 1) % categories.count].id
            twin.drawn = false
            images[target].boxes.append(twin)
        case .sizeOutlier:
            images[target].boxes.append(PlannedBox(category: categories[0].id, box: [10, 10, 3, 3]))
        case .aspectOutlier:
            images[target].boxes.append(PlannedBox(category: categories[0].id, box: [10, 100, 150, 3]))
        case .areaMismatch:
            let box = images[target].boxes[0].box
            images[target].boxes[0].area = box[2] * box[3] * 3
        case .boxSegmentationMismatch:
            let b = images[target].boxes[0].box
            images[target].boxes[0].segmentation = .polygons([[b[0] + 20, b[1], b[0] + b[2] + 20, b[1], b[0] + b[2] + 20, b[1] + b[3], b[0] + 20, b[1] + b[3]]])
        case .rleSizeMismatch:
            let (h, w) = (images[target].height / 2, images[target].width / 2)
            images[target].boxes[0].segmentation = .mask(RunLengthMask(height: h, width: w, counts: [h * w], wasCompressed: false))
            images[target].boxes[0].area = 0
        case .invalidPolygon:
            let b = images[target].boxes[0].box
            images[target].boxes[0].segmentation = .polygons([[b[0], b[1], b[0] + b[2], b[1] + b[3]]])
        case .yoloPixelCoordinates:
            pixelFiles.insert(target)
        case .vocZeroBased:
            images[target].boxes[0].box[0] = 0
            zeroBasedFiles.insert(target)
        case .boxOnNothing:
            // A flat band along the bottom (see `write`) with a box on it.
            let (w, h) = (Double(images[target].width), Double(images[target].height))
            images[target].pixelDefect = defect
            images[target].boxes.append(PlannedBox(category: categories[0].id, box: [20, h * 0.76, w - 40, h * 0.22], drawn: false))
        case .crowdedImage:
            // Thirty small boxes of a class of their own (so that the other classes' size and shape statistics
            // stay as they were), in rows, none overlapping: far more objects than any other image has.
            // A new image in the largest split, where the check has enough others to compare it with.
            let id = (categories.map(\.id).max() ?? 0) + 1
            categories.append(Category(id: id, name: "crowd"))
            let splits = generator.layout == .fiftyOne ? [] : generator.splits
            var image = newImage(index: 90_000 + target, split: splits.first, width: generator.width, height: generator.height)
            let step = (Double(image.width) - 8) / 10
            image.boxes = (0..<30).map { k in
                PlannedBox(category: id, box: [4 + Double(k % 10) * step, 4 + Double(k / 10) * 20, 12, 12])
            }
            images.append(image)
            concerned = images.count - 1
        case .malformedAnnotation:
            malformed.insert(target)
            if generator.format == .coco || generator.format == .cvat { images[target].boxes[0].writtenShort = true }
        }
        // Category findings are about the whole dataset.
        if generator.format == .imagenet { images[concerned].path = classFolderPath(images[concerned]) }
        let datasetLevel = defect == .unusedCategory || defect == .fewSamples
        planted.append(PlantedFinding(
            defect: defect, check: check, image: images[concerned].path, file: datasetLevel ? Finding.datasetItem : nil))
    }
}
