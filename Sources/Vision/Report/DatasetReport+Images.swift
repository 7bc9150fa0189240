import Foundation

extension DatasetReport {
    /// Every image a report lists (its `images` section) with its PDQ hash and, when the report has them, its
    /// bytes' SHA-256 and pixels' fingerprint, in path order, as listing `listing`'s: what minting records in the
    /// index of listed images.
    /// - Throws: ``VisionError`` `.invalidArgument` when the bytes are not a Lightbox report or an image lacks a
    ///   valid hash.
    public static func listedImages(reportJSON: [UInt8], listing: String) throws(VisionError) -> [ListedImage] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reportJSON)) as? [String: Any],
              object["report"] as? String == formatName, let entries = object["images"] as? [String: Any]
        else {
            throw VisionError(.invalidArgument, "this is not a Lightbox dataset report (\(formatName))")
        }
        var images: [ListedImage] = []
        for (path, value) in entries.sorted(by: { $0.key < $1.key }) {
            let entry = value as? [String: Any]
            guard let text = entry?["pdq"] as? String, let hash = PDQHash(hex: text) else {
                throw VisionError(.invalidArgument, "the report's image \(path) has no valid PDQ hash")
            }
            images.append(ListedImage(
                listing: listing, path: path, hash: hash, sha256: entry?["sha256"] as? String,
                pixels: entry?["pixels"] as? String))
        }
        return images
    }
}
