/// COCO keypoints (`person_keypoints_*.json`): a category's `keypoints` names and `skeleton` pairs, and each
/// annotation's `keypoints` triples (x, y, visibility) with its `num_keypoints`.
extension COCOFile {
    /// The category's keypoint names; reports a `skeleton` pair that does not name two of them (1-based).
    mutating func keypointNames(_ entry: LocatedJSON.Value) -> [String] {
        guard let list = entry["keypoints"], list.kind != .null else { return [] }
        let names = list.kind == .array ? list.elements.compactMap(\.string) : []
        guard list.kind == .array, names.count == list.count else {
            findings.add(at(list), "\"keypoints\" is not a list of names; write the category's keypoint names as strings")
            return []
        }
        if let skeleton = entry["skeleton"], skeleton.kind != .null {
            let pairs = skeleton.kind == .array ? Array(skeleton.elements) : []
            let valid = skeleton.kind == .array && pairs.allSatisfy { pair in
                pair.kind == .array && pair.count == 2 && pair.elements.allSatisfy { ($0.int ?? 0) >= 1 && ($0.int ?? 0) <= names.count }
            }
            if !valid {
                findings.add(
                    at(skeleton),
                    "\"skeleton\" must be pairs [a, b] of keypoint numbers from 1 to \(names.count) (the category has "
                        + "\(names.count) keypoints); correct the pairs")
            }
        }
        return names
    }

    /// An annotation's keypoints, checked against its category: 3 numbers per keypoint the category names,
    /// visibilities 0, 1 or 2, and `num_keypoints` the count of labelled ones (visibility above 0). Nil, with a
    /// finding, when they cannot be used.
    mutating func keypoints(_ entry: LocatedJSON.Value, category: Int?, of what: String) -> [Double]? {
        guard let value = entry["keypoints"], value.kind != .null else { return nil }
        guard value.kind == .array, let values = value.numbers, values.count % 3 == 0 else {
            findings.add(at(value), "\(what)'s \"keypoints\" is not a list of x, y, visibility triples; write 3 numbers per keypoint")
            return nil
        }
        let expected = category.map { categories.keypointCount(of: $0) } ?? 0
        if expected > 0, values.count != 3 * expected {
            findings.add(
                at(value),
                "\(what) has \(values.count / 3) keypoints but its category names \(expected); write \(3 * expected) "
                    + "numbers (x, y, visibility for each, 0, 0, 0 for one not labelled)",
                details: ["keypoints": .int(values.count / 3), "expected": .int(expected)])
            return nil
        }
        let visibilities = stride(from: 2, to: values.count, by: 3).map { values[$0] }
        if let bad = visibilities.first(where: { ![0, 1, 2].contains($0) }) {
            findings.add(
                at(value),
                "\(what) has a keypoint visibility of \(AnnotationText.number(bad)); visibility is 0 (not labelled), 1 "
                    + "(labelled, hidden) or 2 (visible)")
            return nil
        }
        let labelled = visibilities.count { $0 > 0 }
        if let count = entry["num_keypoints"], count.kind != .null, count.int != labelled {
            findings.add(
                at(count),
                "\(what)'s num_keypoints is \(count.quoted) but \(labelled) of its keypoints are labelled; write \(labelled)",
                details: ["num_keypoints_labelled": .int(labelled)])
        }
        return values
    }
}
