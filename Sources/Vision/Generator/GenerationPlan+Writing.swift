import Foundation

extension GenerationPlan {
    /// Writes the images and the annotation files, then damages what the planted defects damage.
    mutating func write(to root: String) throws(VisionError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw VisionError(.io, "cannot create \(root): \(error.localizedDescription)")
        }
        var rendered: [Int: PixelImage] = [:]
        for index in images.indices {
            let planned = images[index]
            var pixels: PixelImage
            if let source = planned.copyOf, let original = rendered[source] {
                pixels = original
                if planned.nearCopy {
                    // A re-encoded, slightly brightened copy: other pixels, nearly the same picture.
                    pixels = SyntheticImage.adjusted(pixels, factor: 1, offset: 6)
                }
            } else {
                var painter = SyntheticImage(random: SplitMix64(seed: generatorSeed(index)))
                pixels = painter.draw(
                    width: planned.width, height: planned.height,
                    boxes: planned.boxes.filter(\.drawn).map { box in (box.box, categories.firstIndex { $0.id == box.category } ?? 0) })
            }
            rendered[index] = pixels
            guard planned.fileWritten else { continue }
            var bytes: [UInt8]
            switch planned.pixelDefect {
            case .dark: pixels = SyntheticImage.adjusted(pixels, factor: 0.12, offset: 0)
            case .bright: pixels = SyntheticImage.adjusted(pixels, factor: 10.0 / 255, offset: 245)
            case .lowInformation: pixels = PixelImage(width: pixels.width, height: pixels.height, colour: .rgb, filledWith: 128)
            case .blurry: pixels = SyntheticImage.blurred(pixels, radius: 6)
            case .greyscale: pixels = SyntheticImage.greyscale(pixels)
            case .boxOnNothing:
                // The bottom quarter painted one flat grey, as a padded border is.
                let start = pixels.width * (pixels.height * 3 / 4) * pixels.channels
                for index in start..<pixels.pixels.count { pixels.pixels[index] = 120 }
            default: break
            }
            bytes = planned.jpeg ? try ImageEncoder.jpeg(pixels, quality: 92) : try ImageEncoder.png(pixels, compressionLevel: 3)
            if let source = planned.copyOf, !planned.nearCopy {
                bytes = try Self.read(root + "/" + images[source].path)
            }
            switch planned.pixelDefect {
            case .truncatedImage: bytes = Array(bytes.prefix(bytes.count * 6 / 10))
            case .corruptImage: bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            default: break
            }
            try Self.writeFile(bytes, to: root + "/" + planned.path)
        }
        try writeAnnotations(to: root)
    }

    private func generatorSeed(_ index: Int) -> UInt64 {
        generator.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
    }

    /// The annotations as the format's writer takes them.
    func annotatedDataset() -> AnnotatedDataset {
        var dataset = AnnotatedDataset(format: generator.format, categories: categories)
        for planned in images where planned.declared {
            let position = dataset.images.count
            let size = planned.declaredSize ?? (planned.width, planned.height)
            dataset.images.append(ImageEntry(
                path: planned.path, split: planned.split, declaredWidth: size.0, declaredHeight: size.1,
                cocoID: position + 1))
            for box in planned.boxes {
                dataset.annotations.append(annotation(box, image: position, planned: planned, index: images.firstIndex { $0.path == planned.path }!))
            }
        }
        return dataset
    }

    private func annotation(_ planned: PlannedBox, image: Int, planned owner: PlannedImage, index: Int) -> Annotation {
        let b = planned.box
        let location = SourceLocation(file: "")
        let width = Double(owner.width), height = Double(owner.height)
        switch generator.format {
        case .coco:
            let polygon: Segmentation = .polygons([[b[0], b[1], b[0] + b[2], b[1], b[0] + b[2], b[1] + b[3], b[0], b[1] + b[3]]])
            let box = planned.writtenShort ? Array(b.prefix(3)) : b
            return Annotation(
                image: image, category: planned.category, box: box, convention: .cocoPixels,
                segmentation: planned.segmentation ?? polygon, area: planned.area ?? b[2] * b[3], location: location)
        case .imagenet:
            return Annotation(image: image, category: planned.category, box: nil, convention: .cocoPixels, location: location)
        case .cvat:
            return Annotation(
                image: image, category: planned.category, box: planned.writtenShort ? Array(b.prefix(3)) : b,
                convention: .cocoPixels, location: location)
        case .yolo:
            let pixels = pixelFiles.contains(index)
            let (sx, sy) = pixels ? (1.0, 1.0) : (width, height)
            return Annotation(
                image: image, category: planned.category,
                box: [(b[0] + b[2] / 2) / sx, (b[1] + b[3] / 2) / sy, b[2] / sx, b[3] / sy], convention: .yoloNormalised,
                location: location)
        case .voc:
            let zeroBased = zeroBasedFiles.contains(index)
            let box = zeroBased ? [b[0], b[1], b[0] + b[2] - 1, b[1] + b[3] - 1] : [b[0] + 1, b[1] + 1, b[0] + b[2], b[1] + b[3]]
            return Annotation(image: image, category: planned.category, box: box, convention: .vocOneBased, location: location)
        }
    }

    private mutating func writeAnnotations(to root: String) throws(VisionError) {
        let dataset = annotatedDataset()
        switch generator.format {
        case .coco: try COCOWriter.write(dataset, to: root)
        case .yolo: try YOLOWriter.write(dataset, to: root)
        case .voc: try VOCWriter.write(dataset, to: root, layout: generator.layout)
        case .cvat: try CVATWriter.write(dataset, to: root)
        case .imagenet: break  // the folders are the labels
        }
        for index in malformed.sorted() {
            let stem = (images[index].path as NSString).lastPathComponent.split(separator: ".").dropLast().joined(separator: ".")
            switch generator.format {
            case .coco:
                // The first box was written with three numbers (see `annotation`).
                let file = images[index].split.map { "annotations/instances_\($0).json" } ?? "annotations/instances.json"
                planted[planted.firstIndex { $0.defect == .malformedAnnotation }!].file = file
            case .yolo:
                let file = "labels/\(images[index].split.map { "\($0)/" } ?? "")\(stem).txt"
                var bytes = (try? Self.read(root + "/" + file)) ?? []
                bytes += Array("0 0.5 oops 0.2 0.2\n".utf8)
                try Self.writeFile(bytes, to: root + "/" + file)
                planted[planted.firstIndex { $0.defect == .malformedAnnotation }!].file = file
            case .imagenet:
                break  // class folders carry no malformed-annotation defect
            case .cvat:
                // The first box was written without ybr (see `annotation`).
                planted[planted.firstIndex { $0.defect == .malformedAnnotation }!].file = "annotations.xml"
            case .voc:
                let file = "\(generator.layout == .fiftyOne ? "labels" : "Annotations")/\(stem).xml"
                let bytes = try Self.read(root + "/" + file)
                try Self.writeFile(Array(bytes.prefix(bytes.count / 2)), to: root + "/" + file)
                planted[planted.firstIndex { $0.defect == .malformedAnnotation }!].file = file
            }
        }
        if generator.format == .yolo {
            // An orphaned label file: its image was never written.
            for planned in images where !planned.fileWritten {
                let stem = (planned.path as NSString).lastPathComponent.split(separator: ".").dropLast().joined(separator: ".")
                let file = "labels/\(planned.split.map { "\($0)/" } ?? "")\(stem).txt"
                planted[planted.firstIndex { $0.defect == .missingImage }!].file = file
            }
        }
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws(VisionError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw VisionError(.io, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws(VisionError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw VisionError(.io, "cannot read \(path)") }
        return [UInt8](data)
    }
}
