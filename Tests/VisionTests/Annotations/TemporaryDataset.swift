import Foundation
import Vision

/// A dataset directory under the temporary directory, removed by ``remove()``.
struct TemporaryDataset {
    let root: String

    init() throws {
        root =
            FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-vision-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh dataset directory and removes it afterwards.
    @discardableResult
    static func with<T>(_ body: (TemporaryDataset) throws -> T) throws -> T {
        let dataset = try TemporaryDataset()
        defer { dataset.remove() }
        return try body(dataset)
    }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: root + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Image files: the readers do not decode them, so a few bytes do.
    func images(_ paths: String...) throws {
        for path in paths { try write(path, bytes: [0xFF, 0xD8, 0xFF]) }
    }

    func read(_ format: AnnotationFormat? = nil) throws -> AnnotatedDataset {
        try AnnotationReader.read(root: root, format: format)
    }

    func text(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

extension AnnotatedDataset {
    /// Findings as (check id, item) pairs, in order.
    var findingItems: [String] { findings.map { "\($0.check.rawValue) \($0.item)" } }
}
