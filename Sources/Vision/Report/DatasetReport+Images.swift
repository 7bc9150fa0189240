import Foundation

extension DatasetReport {
    /// The PDQ hash of every image a report lists (its `images` section), in path order: what minting records in
    /// the index of listed images.
    /// - Throws: ``VisionError`` `.invalidArgument` when the bytes are not a Lightbox report or an image lacks a
    ///   valid hash.
    public static func imageHashes(reportJSON: [UInt8]) throws(VisionError) -> [(path: String, hash: PDQHash)] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reportJSON)) as? [String: Any],
              object["report"] as? String == formatName, let entries = object["images"] as? [String: Any]
        else {
            throw VisionError(.invalidArgument, "this is not a Lightbox dataset report (\(formatName))")
        }
        var images: [(path: String, hash: PDQHash)] = []
        for (path, value) in entries.sorted(by: { $0.key < $1.key }) {
            guard let text = (value as? [String: Any])?["pdq"] as? String, let hash = PDQHash(hex: text) else {
                throw VisionError(.invalidArgument, "the report's image \(path) has no valid PDQ hash")
            }
            images.append((path, hash))
        }
        return images
    }
}
