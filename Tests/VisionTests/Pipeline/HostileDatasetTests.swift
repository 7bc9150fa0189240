import Foundation
import Testing
import Vision

/// Datasets made to mislead or attack the checker: links out of the dataset, images declared twice, leakage hidden
/// behind an unsplit image, damaged JPEG data.
@Suite("Hostile datasets")
struct HostileDatasetTests {
    /// Writes a COCO file declaring `images` (path, split) with one box each, and the image files named in `files`.
    static func coco(_ root: String, images: [(String, String?)], files: [String: PixelImage]) throws {
        for (path, image) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try ImageEncoder.png(image)).write(to: url)
        }
        let splits = Set(images.map { $0.1 ?? "" })
        for split in splits {
            let declared = images.enumerated().filter { ($0.element.1 ?? "") == split }
            let imageJSON = declared.map { "{\"id\": \($0.offset + 1), \"file_name\": \"\($0.element.0)\", \"width\": 64, \"height\": 48}" }
            let annotationJSON = declared.map {
                "{\"id\": \($0.offset + 1), \"image_id\": \($0.offset + 1), \"category_id\": 1, \"bbox\": [4, 4, 20, 20], \"area\": 400, \"iscrowd\": 0}"
            }
            let json = """
                {"images": [\(imageJSON.joined(separator: ","))],
                 "annotations": [\(annotationJSON.joined(separator: ","))],
                 "categories": [{"id": 1, "name": "thing"}]}
                """
            let name = split.isEmpty ? "instances.json" : "instances_\(split).json"
            try FileManager.default.createDirectory(atPath: root + "/annotations", withIntermediateDirectories: true)
            try Data(json.utf8).write(to: URL(fileURLWithPath: root + "/annotations/" + name))
        }
    }

    static func picture(seed: UInt8) -> PixelImage {
        PixelImage(width: 64, height: 48, colour: .rgb, pixels: (0..<(64 * 48 * 3)).map { UInt8(truncatingIfNeeded: ($0 * 7 + Int(seed) * 31) ^ ($0 >> 5)) })
    }

    @Test("a link to a file outside the dataset is never read: the image counts as missing")
    func linksAreNotFollowed() async throws {
        let directory = TemporaryDirectory(), outside = TemporaryDirectory()
        defer { directory.remove(); outside.remove() }
        try Data(try ImageEncoder.png(Self.picture(seed: 1))).write(to: URL(fileURLWithPath: outside.path + "/secret.png"))
        try Self.coco(directory.path, images: [("images/a.png", nil), ("images/b.png", nil)], files: ["images/a.png": Self.picture(seed: 2)])
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/images/b.png", withDestinationPath: outside.path + "/secret.png")
        let outcome = try await DatasetChecker(concurrency: 1).check(root: directory.path)
        #expect(outcome.report.findings.contains { $0.check == .missingImage && $0.item == "images/b.png" })
        #expect(outcome.summaries[outcome.paths.firstIndex(of: "images/b.png")!] == nil)
        // Its hash is not published in the report.
        #expect(!String(decoding: outcome.report.canonicalJSON, as: UTF8.self).contains("images/b.png\":{\"pdq"))
    }

    @Test("an image declared twice is checked once and reported, not called a duplicate of itself")
    func declaredTwice() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try Self.coco(
            directory.path, images: [("images/a.png", "train"), ("images/b.png", "train"), ("images/a.png", "val")],
            files: ["images/a.png": Self.picture(seed: 3), "images/b.png": Self.picture(seed: 4)])
        let report = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        #expect(report.findings.filter { $0.check == .duplicateID && $0.item == "images/a.png" }.count == 1)
        #expect(!report.findings.contains { $0.check == .exactDuplicate || $0.check == .identicalPixels })
    }

    @Test("leakage is found even when an unsplit near-duplicate comes first")
    func leakageBehindUnsplit() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let picture = Self.picture(seed: 5)
        var brighter = picture
        for index in brighter.pixels.indices { brighter.pixels[index] = brighter.pixels[index] &+ (brighter.pixels[index] < 250 ? 3 : 0) }
        try Self.coco(
            directory.path, images: [("images/none.png", nil), ("images/train.png", "train"), ("images/val.png", "val")],
            files: ["images/none.png": picture, "images/train.png": brighter, "images/val.png": picture])
        let report = try await DatasetChecker(concurrency: 1).check(root: directory.path).report
        #expect(report.findings.contains { $0.check == .splitLeakage }, "\(report.findings.map { "\($0.check) \($0.item)" })")
    }

    @Test("a JPEG with damaged entropy-coded data is reported as corrupt, not decoded as grey blocks")
    func damagedJPEG() throws {
        var bytes = try ImageEncoder.jpeg(Self.picture(seed: 6), quality: 90)
        // An end-of-image marker in the middle of the scan data: libjpeg warns and fills the rest with grey.
        bytes.replaceSubrange((bytes.count / 2)..<(bytes.count / 2 + 2), with: [0xFF, 0xD9])
        let failure = #expect(throws: ImageDecodingFailure.self) { try ImageDecoder().decode(bytes) }
        #expect(failure?.kind == .corrupt, "\(failure?.message ?? "")")
    }
}
