/// Annotation attributes, per category, as Datumaro's validator checks them: attributes a category's declaration
/// lacks (undefined), attributes an annotation lacks (missing), values the declaration does not allow, attributes
/// declared and never written (unused), and, for attributes with a few set values, one value only, values with few
/// samples and values out of balance.
///
/// What an annotation should carry is the category's declaration where the format has one (CVAT), else what most of
/// the category's annotations carry (COCO `attributes`, VOC). VOC's flags and pose are checked for their values and
/// for being written on some objects and not others, not for their distribution.
enum AttributeChecks {
    static func run(_ context: CheckContext) -> [Flag] {
        let dataset = context.dataset
        guard dataset.annotations.contains(where: { !$0.attributes.isEmpty })
            || dataset.categories.contains(where: { !($0.attributes ?? []).isEmpty })
        else { return [] }
        var byCategory: [Int: [Int]] = [:]
        for (position, annotation) in dataset.annotations.enumerated() {
            guard let category = annotation.category, context.categoryNames[category] != nil else { continue }
            byCategory[category, default: []].append(position)
        }
        var flags: [Flag] = []
        for category in dataset.categories {
            guard let positions = byCategory[category.id] else { continue }
            flags += CategoryAttributes(category: category, positions: positions, context: context).flags()
        }
        return flags
    }
}

/// One category's annotations and the attributes they should carry.
private struct CategoryAttributes {
    let category: Category
    let positions: [Int]
    let context: CheckContext
    let conventional: [String: AttributeDefinition]
    let declared: [String: AttributeDefinition]?

    init(category: Category, positions: [Int], context: CheckContext) {
        self.category = category
        self.positions = positions
        self.context = context
        conventional = Dictionary(
            context.dataset.conventionalAttributes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        declared = category.attributes.map {
            Dictionary($0.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private var annotations: [Annotation] { positions.map { context.dataset.annotations[$0] } }
    private var label: String { "\"\(category.name)\"" }

    func flags() -> [Flag] {
        var carriers: [String: Int] = [:]
        for annotation in annotations {
            for name in annotation.attributes.keys { carriers[name, default: 0] += 1 }
        }
        var flags = values()
        flags += missing(carriers: carriers)
        flags += unused(carriers: carriers)
        flags += distributions()
        return flags
    }

    /// Undefined attributes and values their definition does not allow.
    private func values() -> [Flag] {
        var flags: [Flag] = []
        for annotation in annotations {
            for (name, value) in annotation.attributes.sorted(by: { $0.key < $1.key }) {
                guard let definition = declared?[name] ?? conventional[name] else {
                    guard let declared else { continue }
                    let names = declared.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                    flags.append(flag(
                        .undefinedAttribute, annotation,
                        "attribute \"\(name)\" is not one the label \(label) declares (\(names.isEmpty ? "none" : names)); "
                            + "declare it for the label or remove it", ["attribute": .string(name)]))
                    continue
                }
                guard !definition.values.allows(value) else { continue }
                flags.append(flag(
                    .invalidAttributeValue, annotation,
                    "attribute \"\(name)\" is \"\(value)\", which \(label) does not allow; write \(definition.values.phrase)",
                    ["attribute": .string(name), "value": .string(value)]))
            }
        }
        return flags
    }

    /// Attributes the declaration names (or more than half the category's annotations carry) and an annotation
    /// lacks. A declared attribute no annotation carries is reported once, as unused.
    private func missing(carriers: [String: Int]) -> [Flag] {
        let expected: [String]
        if let declared {
            expected = declared.keys.filter { carriers[$0] != nil }.sorted()
        } else {
            expected = carriers.filter { 2 * $0.value > positions.count && $0.value >= 2 }.keys.sorted()
        }
        guard !expected.isEmpty else { return [] }
        var flags: [Flag] = []
        for annotation in annotations {
            let lacking = expected.filter { annotation.attributes[$0] == nil }
            guard !lacking.isEmpty else { continue }
            let names = lacking.map { "\"\($0)\"" }.joined(separator: ", ")
            let why =
                declared != nil
                ? "the label \(label) declares" : "\(carriers[lacking[0]] ?? 0) of the \(positions.count) \(label) annotations carry"
            flags.append(flag(
                .missingAttribute, annotation,
                "the \(label) annotation has no \(names), which \(why); give it a value",
                ["attributes": .array(lacking.map(ReportValue.string))]))
        }
        return flags
    }

    /// Attributes the category declares that none of its annotations carries.
    private func unused(carriers: [String: Int]) -> [Flag] {
        (declared?.keys.sorted() ?? []).filter { carriers[$0] == nil }.map { name in
            Flag(Finding(
                .unusedAttribute, item: Finding.datasetItem,
                message: "attribute \"\(name)\" is declared for \(label) but none of its \(positions.count) annotations "
                    + "has it; annotate it or remove it from the label",
                details: ["category": .string(category.name), "attribute": .string(name)]), image: nil)
        }
    }

    /// For each attribute with a few set values over enough annotations: only one value, values with few samples,
    /// and the most common value far more common than the least.
    private func distributions() -> [Flag] {
        let thresholds = context.thresholds
        var tallies: [String: [String: Int]] = [:]
        for annotation in annotations {
            for (name, value) in annotation.attributes where conventional[name] == nil {
                tallies[name, default: [:]][value, default: 0] += 1
            }
        }
        var flags: [Flag] = []
        for (name, counts) in tallies.sorted(by: { $0.key < $1.key }) {
            let total = counts.values.reduce(0, +)
            guard total >= thresholds.outlierMinimumCount, isCategorical(name, counts: counts, total: total) else {
                continue
            }
            let details: [String: ReportValue] = [
                "category": .string(category.name), "attribute": .string(name),
                "values": .object(counts.mapValues(ReportValue.int)),
            ]
            guard counts.count > 1 else {
                flags.append(datasetFlag(
                    .singleAttributeValue,
                    "attribute \"\(name)\" of \(label) is \"\(counts.keys.first ?? "")\" on all \(total) annotations; "
                        + "it tells them nothing apart: check that it was annotated", details))
                continue
            }
            let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let rare = sorted.filter { $0.value < thresholds.fewSamples }
            for (value, count) in rare {
                flags.append(datasetFlag(
                    .fewAttributeSamples,
                    "attribute \"\(name)\" of \(label) is \"\(value)\" on only \(count) of \(total) annotations",
                    details.merging(["value": .string(value), "count": .int(count)]) { _, new in new }))
            }
            let most = sorted[0], least = sorted[sorted.count - 1]
            if least.value >= thresholds.fewSamples, Double(most.value) >= thresholds.imbalanceRatio * Double(least.value) {
                flags.append(datasetFlag(
                    .attributeImbalance,
                    "attribute \"\(name)\" of \(label) is \"\(most.key)\" on \(most.value) annotations, \"\(least.key)\" "
                        + "on only \(least.value)", details))
            }
        }
        return flags
    }

    /// Whether an attribute takes a few set values: declared as a choice, or, undeclared, with at most ten values
    /// each used twice on average (free text and ids are not).
    private func isCategorical(_ name: String, counts: [String: Int], total: Int) -> Bool {
        if let definition = declared?[name] {
            if case .oneOf = definition.values { return true }
            return false
        }
        return counts.count <= 10 && total >= 2 * counts.count
    }

    private func flag(_ check: CheckID, _ annotation: Annotation, _ message: String, _ details: [String: ReportValue]) -> Flag {
        Flag(Finding(
            check, item: annotation.location.description, message: message,
            details: details.merging(["category": .string(category.name)]) { first, _ in first }), image: annotation.image)
    }

    private func datasetFlag(_ check: CheckID, _ message: String, _ details: [String: ReportValue]) -> Flag {
        Flag(Finding(check, item: Finding.datasetItem, message: message, details: details), image: nil)
    }
}
