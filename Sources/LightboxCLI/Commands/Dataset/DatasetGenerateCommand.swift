import ArgumentParser
import Foundation
import Vision

struct DatasetGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic COCO, YOLO or Pascal VOC dataset with exact ground truth and chosen defects.",
        discussion: """
            Images are random low-frequency pictures with boxes of class colours (half PNG, half JPEG); each \
            --defect is planted once on its own image. Prints one line per planted defect: the defect, the check \
            that must find it, and the image (and annotation file) where it is. The same --seed gives the same files. \
            Defects: \(PlantedDefect.allCases.map(\.rawValue).joined(separator: ", ")); --defect all plants every \
            one the format can carry.
            """
    )

    @Argument(help: "The folder to write (created if missing; should be empty).")
    var path: String

    @Option(help: "coco, yolo, voc, cvat or imagenet (class folders).") var format = "coco"
    @Option(help: "Clean images before defects.") var images = 48
    @Option(help: "Image width.") var width = 320
    @Option(help: "Image height.") var height = 240
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("defect"), help: "A defect to plant (repeatable), or all.") var defects: [String] = []
    @Option(help: "standard, or fiftyone (VOC as FiftyOne exports it: data/ and labels/).") var layout = "standard"

    func validate() throws {
        guard (16...8192).contains(width), (16...8192).contains(height) else {
            throw ValidationError("--width and --height must be from 16 to 8192 pixels")
        }
        guard (1...1_000_000).contains(images) else { throw ValidationError("--images must be from 1 to 1,000,000") }
    }

    func run() async throws {
        try await CommandFailure.guarding {
            guard let format = AnnotationFormat(rawValue: format) else {
                throw ValidationError("--format must be coco, yolo, voc, cvat or imagenet, not '\(self.format)'")
            }
            guard let layout = DatasetLayout(rawValue: layout) else {
                throw ValidationError("--layout must be standard or fiftyone, not '\(self.layout)'")
            }
            var chosen: [PlantedDefect] = []
            for name in defects {
                if name == "all" {
                    chosen += PlantedDefect.supported(by: format)
                } else if let defect = PlantedDefect(rawValue: name) {
                    chosen.append(defect)
                } else {
                    throw ValidationError("unknown defect '\(name)'; known: \(PlantedDefect.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: path), !contents.isEmpty {
                throw CommandError("\(path) is not empty; give a new or empty folder")
            }
            var generator = DatasetGenerator(format: format, imageCount: max(images, chosen.count + 12), seed: seed, defects: chosen)
            generator.width = width
            generator.height = height
            generator.layout = layout
            let result = try generator.generate(into: path)
            print("wrote \(result.images.count) images (\(format.rawValue)) to \(path)")
            for planted in result.planted {
                print("\(planted.defect.rawValue)\t\(planted.check.rawValue)\t\(planted.image)\(planted.file.map { "\t\($0)" } ?? "")")
            }
        }
    }
}
