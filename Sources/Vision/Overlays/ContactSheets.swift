import Foundation

/// PNG contact sheets of the flagged images, for people who would rather look than read: each image with its
/// boxes and labels drawn in class colours and its findings written under it, twelve to a sheet, worst first.
/// Findings are wrapped whole under their image (each row of tiles as tall as its longest caption); past
/// ``maximumCaptionLines`` the caption says how many more the report holds rather than stopping mid-sentence.
public enum ContactSheets {
    static let tileWidth = 320
    static let imageHeight = 240
    static let maximumCaptionLines = 16
    static let columns = 4

    /// Writes `sheet-001.png`, `sheet-002.png`, … into `directory` (created if missing) and returns how many.
    /// - Throws: ``VisionError`` `.io` when a sheet cannot be written.
    public static func write(
        outcome: DatasetChecker.Outcome, root: String, to directory: String, perSheet: Int = 12,
        pixelBudget: Int = ImageDecoder.defaultPixelBudget
    ) throws(VisionError) -> Int {
        let flagged = flaggedImages(outcome)
        guard !flagged.isEmpty else { return 0 }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw VisionError(.io, "cannot create \(directory): \(error.localizedDescription)")
        }
        var sheets = 0
        for start in stride(from: 0, to: flagged.count, by: perSheet) {
            let page = Array(flagged[start..<min(start + perSheet, flagged.count)])
            let captions = page.map(caption)
            // Each row of tiles is as tall as its longest caption.
            var rowTops: [Int] = [8]
            for row in stride(from: 0, to: page.count, by: columns) {
                let lines = captions[row..<min(row + columns, page.count)].map(\.count).max() ?? 0
                rowTops.append(rowTops.last! + imageHeight + 8 + lines * BitmapFont.lineHeight + 8)
            }
            var canvas = Canvas(
                width: columns * tileWidth + (columns + 1) * 8, height: rowTops.last!, background: RGBColour(grey: 32))
            for (slot, entry) in page.enumerated() {
                let left = 8 + (slot % columns) * (tileWidth + 8)
                drawTile(
                    &canvas, entry: entry, caption: captions[slot], outcome: outcome, root: root, budget: pixelBudget,
                    left: left, top: rowTops[slot / columns])
            }
            sheets += 1
            let path = directory + "/" + String(format: "sheet-%03d.png", sheets)
            let bytes = try ImageEncoder.png(canvas.image)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw VisionError(.io, "cannot write \(path)")
            }
        }
        return sheets
    }

    /// An image with its findings.
    struct FlaggedImage {
        var position: Int
        var path: String
        var findings: [Finding]
    }

    /// Images that findings name (as item or as `details.image`), worst severity first, then by path.
    static func flaggedImages(_ outcome: DatasetChecker.Outcome) -> [FlaggedImage] {
        let positions = Dictionary(outcome.paths.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var byImage: [Int: [Finding]] = [:]
        for finding in outcome.report.findings {
            var path = finding.item
            if case .string(let image)? = finding.details["image"] { path = image }
            guard let position = positions[path] else { continue }
            byImage[position, default: []].append(finding)
        }
        return byImage.map { FlaggedImage(position: $0.key, path: outcome.paths[$0.key], findings: $0.value) }
            .sorted { a, b in
                let (x, y) = (a.findings.map(\.severity).max()!, b.findings.map(\.severity).max()!)
                return x != y ? x > y : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
            }
    }

    /// The lines under a tile: the path, then each finding wrapped whole; when the next finding would pass
    /// ``maximumCaptionLines``, a line saying how many more the report holds.
    static func caption(_ entry: FlaggedImage) -> [String] {
        var lines = [BitmapFont.truncated(entry.path, toWidth: tileWidth)]
        for (index, finding) in entry.findings.enumerated() {
            let remaining = entry.findings.count - index
            let reserve = remaining > 1 ? 1 : 0
            let text = "\(finding.severity.rawValue) \(finding.check.rawValue): \(finding.message)"
            let wrapped = BitmapFont.wrap(text, toWidth: tileWidth)
            if lines.count + wrapped.count + reserve <= maximumCaptionLines {
                lines += wrapped
                continue
            }
            if index == 0 {
                // A single message longer than the whole caption: cut at a word, ending in "...".
                lines += BitmapFont.wrap(text, toWidth: tileWidth, maxLines: maximumCaptionLines - lines.count - reserve)
                if remaining > 1 { lines.append(more(remaining - 1)) }
            } else {
                lines.append(more(remaining))
            }
            return lines
        }
        return lines
    }

    private static func more(_ count: Int) -> String {
        "+\(count) more finding\(count == 1 ? "" : "s") in the report"
    }

    private static func drawTile(
        _ canvas: inout Canvas, entry: FlaggedImage, caption lines: [String], outcome: DatasetChecker.Outcome,
        root: String, budget: Int, left: Int, top: Int
    ) {
        let frame = CanvasRect(x: left, y: top, width: tileWidth, height: imageHeight)
        canvas.fill(frame, with: RGBColour(grey: 16))
        // Only images the check itself read and decoded are shown: never a path outside the dataset or a link.
        let decodable = outcome.summaries[entry.position]?.isDecoded == true
        let bytes = decodable ? FileManager.default.contents(atPath: root + "/" + entry.path).map { [UInt8]($0) } ?? [] : []
        if let decoded = try? ImageDecoder(pixelBudget: budget).decode(bytes),
            let placed = canvas.blit(decoded.image, fittingInto: frame)
        {
            // Boxes reaching outside the image stay inside its tile.
            canvas.clip = frame
            drawAnnotations(&canvas, position: entry.position, outcome: outcome, image: decoded.image, placed: placed)
            canvas.clip = nil
        } else {
            canvas.drawText("cannot show this image", x: left + 8, y: top + imageHeight / 2, colour: .white)
        }
        for (number, line) in lines.enumerated() {
            let colour = number == 0 ? RGBColour.white : severityColour(entry.findings.map(\.severity).max()!)
            canvas.drawText(line, x: left, y: top + imageHeight + 4 + number * BitmapFont.lineHeight, colour: colour)
        }
    }

    /// Draws the boxes, polygons and labels of the image at `position` over its copy placed at `placed`.
    static func drawAnnotations(
        _ canvas: inout Canvas, position: Int, outcome: DatasetChecker.Outcome, image: PixelImage, placed: CanvasRect
    ) {
        let scaleX = placed.width / Double(image.width), scaleY = placed.height / Double(image.height)
        let names = Dictionary(outcome.dataset.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(outcome.dataset.categories.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for annotation in outcome.dataset.annotations where annotation.image == position {
            let colour = Canvas.colour(forClass: annotation.category.flatMap { order[$0] } ?? 99)
            if case .polygons(let polygons)? = annotation.segmentation {
                for polygon in polygons {
                    let mapped = polygon.enumerated().map { index, value in
                        index % 2 == 0 ? placed.x + value * scaleX : placed.y + value * scaleY
                    }
                    canvas.drawPolygon(mapped, colour: colour)
                }
            }
            guard let box = PixelBox(annotation, imageSize: (image.width, image.height)) else { continue }
            let rect = CanvasRect(
                minX: placed.x + box.x0 * scaleX, minY: placed.y + box.y0 * scaleY,
                maxX: placed.x + box.x1 * scaleX, maxY: placed.y + box.y1 * scaleY)
            canvas.stroke(rect, with: colour, thickness: 2)
            let name = annotation.category.map { names[$0] ?? "#\($0)" } ?? "?"
            canvas.drawLabel(name, for: rect, background: colour)
        }
    }

    private static func severityColour(_ severity: Severity) -> RGBColour {
        switch severity {
        case .error: RGBColour(red: 255, green: 110, blue: 100)
        case .warning: RGBColour(red: 255, green: 200, blue: 80)
        case .info: RGBColour(red: 150, green: 200, blue: 255)
        }
    }
}
