/// The `annotations` of a COCO file.
extension COCOFile {
    mutating func readAnnotations(
        _ list: LocatedJSON.Value, imageIndex: [Int: Int], into dataset: inout AnnotatedDataset
    ) {
        var firstPlaces: [Int: String] = [:]
        defer { self.entry = nil }
        for (offset, entry) in list.elements.enumerated() {
            self.entry = ("annotations", offset, entry, entry["id"]?.int)
            guard entry.kind == .object else {
                findings.add(
                    at(entry),
                    "an annotation is \(entry.kindPhrase), not an object {\"id\", \"image_id\", "
                        + "\"category_id\", \"bbox\", …}")
                continue
            }
            let id = requiredInt(entry, "id", of: "an annotation")
            let what = id.map { "annotation \($0)" } ?? "an annotation"
            if let id, let first = firstPlaces[id] {
                findings.add(
                    .duplicateID, at(entry),
                    "annotation id \(id) is already used by the annotation at "
                        + "\(first); give each annotation its own id",
                    details: ["id": .int(id), "first": .string(first)])
            } else if let id {
                firstPlaces[id] = at(entry).description
            }
            guard let imageID = requiredInt(entry, "image_id", of: what) else { continue }
            guard let image = imageIndex[imageID] else {
                if !unusableImageIDs.contains(imageID) {
                    findings.add(
                        .unknownImage, at(entry),
                        "\(what) refers to image_id \(imageID), which no image in "
                            + "\(path) declares; declare the image or remove the annotation",
                        details: ["image_id": .int(imageID)])
                }
                continue
            }
            let category = requiredInt(entry, "category_id", of: what)
            let box = bbox(entry["bbox"], of: what)
            let segmentation = segmentation(entry["segmentation"], of: what)
            var area: Double?
            if let value = entry["area"], value.kind != .null {
                area = value.number
                if area == nil {
                    findings.add(
                        at(value),
                        "\(what) has \(value.quoted) for \"area\", not a number; write the area "
                            + "in pixels or leave it out")
                }
            }
            var isCrowd = false
            if let value = entry["iscrowd"], value.kind != .null {
                switch (value.int, value.bool) {
                case (0, _), (_, .some(false)): isCrowd = false
                case (1, _), (_, .some(true)): isCrowd = true
                default:
                    findings.add(at(value), "\(what) has \(value.quoted) for \"iscrowd\"; write 0 or 1")
                }
            }
            var annotation = Annotation(
                image: image, category: category, box: box, convention: .cocoPixels, segmentation: segmentation,
                area: area, isCrowd: isCrowd, cocoID: id, location: at(entry))
            annotation.keypoints = keypoints(entry, category: category, of: what)
            annotation.attributes = attributes(entry["attributes"], of: what)
            dataset.annotations.append(annotation)
        }
    }

    /// The `attributes` object Datumaro and CVAT write, e.g. `{"occluded": false, "colour": "red"}`: scalar values
    /// as text; a value that is a list or an object is left out and reported.
    private mutating func attributes(_ value: LocatedJSON.Value?, of what: String) -> [String: String] {
        guard let value, value.kind != .null else { return [:] }
        guard value.kind == .object else {
            findings.add(
                at(value), "\(what)'s \"attributes\" is \(value.kindPhrase), not an object {\"name\": value, …}",
                severity: .warning)
            return [:]
        }
        var attributes: [String: String] = [:]
        for (name, member) in value.members {
            switch member.kind {
            case .bool: attributes[name] = member.bool == true ? "true" : "false"
            case .number: attributes[name] = member.number.map(AttributeValue.text)
            case .string: attributes[name] = member.string
            case .null: continue
            case .array, .object:
                findings.add(
                    at(member),
                    "\(what)'s attribute \"\(name)\" is \(member.kindPhrase); attributes are single values (text, "
                        + "numbers, true or false), so it was left out", severity: .warning)
            }
        }
        return attributes
    }

    private mutating func bbox(_ value: LocatedJSON.Value?, of what: String) -> [Double]? {
        guard let value, value.kind != .null else { return nil }
        guard value.kind == .array, value.count == 4, let numbers = numbers(value) else {
            let has = value.kind == .array ? "\(value.count) element\(value.count == 1 ? "" : "s")" : value.kindPhrase
            let not = value.kind == .array && value.count == 4 ? "not all numbers" : has
            findings.add(at(value), "\(what)'s \"bbox\" is \(not); write it as 4 numbers [x, y, width, height]")
            return nil
        }
        return numbers
    }

    private mutating func segmentation(_ value: LocatedJSON.Value?, of what: String) -> Segmentation? {
        guard let value, value.kind != .null else { return nil }
        switch value.kind {
        case .array:
            if value.count == 0 { return nil }
            var polygons: [[Double]] = []
            for polygon in value.elements {
                guard polygon.kind == .array else {
                    let flat = value.elements.allSatisfy { $0.kind == .number }
                    findings.add(
                        at(value),
                        flat
                            ? "\(what)'s \"segmentation\" is a flat list of numbers; COCO polygons are a list of "
                                + "lists: write [[x1, y1, x2, y2, …]]"
                            : "\(what)'s \"segmentation\" mixes polygons with \(polygon.kindPhrase); write a list of "
                                + "polygons [[x1, y1, …], …]")
                    return nil
                }
                guard let coordinates = numbers(polygon) else {
                    findings.add(
                        at(polygon),
                        "a polygon of \(what) has coordinates that are not numbers; write "
                            + "[x1, y1, x2, y2, …] in pixels")
                    return nil
                }
                polygons.append(coordinates)
            }
            return .polygons(polygons)
        case .object:
            return mask(value, of: what).map(Segmentation.mask)
        default:
            findings.add(
                at(value),
                "\(what)'s \"segmentation\" is \(value.kindPhrase), neither polygons "
                    + "[[x1, y1, …], …] nor an RLE mask {\"size\": [height, width], \"counts\": …}")
            return nil
        }
    }

    private mutating func mask(_ value: LocatedJSON.Value, of what: String) -> RunLengthMask? {
        let sizes = value["size"].map { $0.elements.compactMap(\.int) } ?? []
        guard let size = value["size"], size.count == 2, sizes.count == 2 else {
            findings.add(
                at(value["size"] ?? value),
                "\(what)'s RLE mask has \(describe(value["size"])) for "
                    + "\"size\"; write [height, width] as two integers")
            return nil
        }
        guard let counts = value["counts"] else {
            findings.add(
                at(value),
                "\(what)'s RLE mask has no \"counts\"; write the run lengths as a list of "
                    + "integers or a compressed string")
            return nil
        }
        switch counts.kind {
        case .string:
            guard let text = counts.string, let decoded = RunLengthMask.decodeCounts(text) else {
                findings.add(
                    at(counts),
                    "\(what)'s RLE \"counts\" string is not COCO's compressed form (characters "
                        + "0 to o, each run complete, none negative); re-encode it with pycocotools")
                return nil
            }
            return checked(
                RunLengthMask(height: sizes[0], width: sizes[1], counts: decoded, wasCompressed: true), counts)
        case .array:
            let runs = counts.elements.compactMap(\.int)
            guard runs.count == counts.count, runs.allSatisfy({ $0 >= 0 }) else {
                findings.add(
                    at(counts),
                    "\(what)'s RLE \"counts\" must be non-negative integers; write the run "
                        + "lengths, starting with the 0s")
                return nil
            }
            return checked(RunLengthMask(height: sizes[0], width: sizes[1], counts: runs, wasCompressed: false), counts)
        default:
            findings.add(
                at(counts),
                "\(what)'s RLE \"counts\" is \(counts.kindPhrase); write a list of integers "
                    + "or a compressed string")
            return nil
        }
    }

    /// The mask, reported when its runs do not add up to its size (it is kept: later checks still see it).
    private mutating func checked(_ mask: RunLengthMask, _ counts: LocatedJSON.Value) -> RunLengthMask {
        if let finding = mask.sizeFinding(at: at(counts)) { findings.all.append(finding) }
        return mask
    }

    private func numbers(_ value: LocatedJSON.Value) -> [Double]? { value.numbers }
}
