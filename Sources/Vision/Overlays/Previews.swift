import Foundation

/// The public preview of a dataset that passed its check: a few of its images, spread evenly through the set and
/// none that a finding names, each scaled to fit a small square with its boxes and labels drawn, as JPEG. They are
/// the only part of a listed dataset anyone may see before buying it.
public enum Previews {
    /// One preview: the image it shows and its JPEG bytes.
    public struct Preview: Sendable {
        public let path: String
        public let jpeg: [UInt8]
    }

    /// Up to `count` previews, each at most `size` pixels on its longer side.
    public static func make(
        outcome: DatasetChecker.Outcome, root: String, count: Int = 4, size: Int = 256,
        pixelBudget: Int = ImageDecoder.defaultPixelBudget
    ) -> [Preview] {
        let flagged = Set(ContactSheets.flaggedImages(outcome).map(\.position))
        let candidates = outcome.paths.indices
            .filter { !flagged.contains($0) && outcome.summaries[$0]?.isDecoded == true }
            .sorted { outcome.paths[$0].utf8.lexicographicallyPrecedes(outcome.paths[$1].utf8) }
        guard count > 0, !candidates.isEmpty else { return [] }
        let chosen = (0..<min(count, candidates.count)).map { candidates[$0 * candidates.count / min(count, candidates.count)] }
        return chosen.compactMap { position in
            let path = outcome.paths[position]
            // Only images the check itself read and decoded: never a path outside the dataset or a link.
            guard let bytes = FileManager.default.contents(atPath: root + "/" + path),
                  let decoded = try? ImageDecoder(pixelBudget: pixelBudget).decode([UInt8](bytes))
            else { return nil }
            let image = decoded.image
            let factor = min(1, Double(size) / Double(max(image.width, image.height)))
            let width = max(1, Int((Double(image.width) * factor).rounded()))
            let height = max(1, Int((Double(image.height) * factor).rounded()))
            var canvas = Canvas(width: width, height: height)
            let frame = CanvasRect(x: 0, y: 0, width: width, height: height)
            guard let placed = canvas.blit(image, fittingInto: frame) else { return nil }
            canvas.clip = frame
            ContactSheets.drawAnnotations(&canvas, position: position, outcome: outcome, image: image, placed: placed)
            guard let jpeg = try? ImageEncoder.jpeg(canvas.image, quality: 85) else { return nil }
            return Preview(path: path, jpeg: jpeg)
        }
    }
}
