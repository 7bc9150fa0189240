/// Categories and labels: none defined, undefined ids, unused categories, unannotated images, several labels on a
/// classification image, class imbalance, classes with few samples and a set with one label only.
enum LabelChecks {
    static func run(_ context: CheckContext) -> [Flag] {
        let thresholds = context.thresholds
        let dataset = context.dataset
        var flags: [Flag] = []
        if dataset.categories.isEmpty {
            flags.append(Flag(Finding(
                .noCategories, item: Finding.datasetItem,
                message: "the annotations define no categories; name the classes (COCO categories, data.yaml names, "
                    + "classes.txt)"), image: nil))
        }
        var counts: [Int: Int] = [:]
        for annotation in dataset.annotations {
            // An annotation without a category was reported by its reader (annotation.malformed).
            guard let category = annotation.category else { continue }
            guard context.categoryNames[category] != nil else {
                if !dataset.categories.isEmpty {
                    flags.append(Flag(Finding(
                        .undefinedCategory, item: annotation.location.description,
                        message: "category \(category) is not defined; define it or correct the id",
                        details: ["category": .int(category)]), image: annotation.image))
                }
                continue
            }
            counts[category, default: 0] += 1
        }
        for category in dataset.categories where counts[category.id] == nil {
            flags.append(Flag(Finding(
                .unusedCategory, item: Finding.datasetItem,
                message: "category \"\(category.name)\" (id \(category.id)) is defined but never used",
                details: ["category": .string(category.name)]), image: nil))
        }
        // Images only on disk are reported as unlisted instead.
        for (position, image) in context.images.enumerated()
        where context.annotationsByImage[position].isEmpty && image.summary != nil && image.isDeclared && !image.isRepeat {
            flags.append(Flag(Finding(
                .unannotatedImage, item: image.entry.path,
                message: "no annotations (a background image, or one left unlabelled)"), image: position))
        }
        flags += multipleLabels(context)
        if let most = counts.max(by: { $0.value < $1.value }), let least = counts.min(by: { $0.value < $1.value }),
            Double(most.value) >= thresholds.imbalanceRatio * Double(least.value)
        {
            flags.append(Flag(Finding(
                .classImbalance, item: Finding.datasetItem,
                message: "\(context.name(ofCategory: most.key)) has \(most.value) annotations, "
                    + "\(context.name(ofCategory: least.key)) only \(least.value)",
                details: [
                    "most": .string(context.categoryNames[most.key] ?? "\(most.key)"), "most_count": .int(most.value),
                    "least": .string(context.categoryNames[least.key] ?? "\(least.key)"), "least_count": .int(least.value),
                ]), image: nil))
        }
        if counts.count == 1, let only = counts.first {
            let classification = dataset.annotations.allSatisfy { $0.box == nil && $0.segmentation == nil }
            flags.append(Flag(Finding(
                .singleLabel, severity: classification ? .warning : nil, item: Finding.datasetItem,
                message: classification
                    ? "every image is labelled \(context.name(ofCategory: only.key)): a classifier has nothing to tell "
                        + "apart; add images of the other classes"
                    : "every annotation is \(context.name(ofCategory: only.key)): a single-class set",
                details: ["category": .string(context.categoryNames[only.key] ?? "\(only.key)"), "count": .int(only.value)]),
                image: nil))
        }
        for category in dataset.categories {
            guard let count = counts[category.id], count < thresholds.fewSamples else { continue }
            flags.append(Flag(Finding(
                .fewSamples, item: Finding.datasetItem,
                message: "category \"\(category.name)\" has only \(count) annotation\(count == 1 ? "" : "s")",
                details: ["category": .string(category.name), "count": .int(count)]), image: nil))
        }
        return flags
    }

    /// In a classification dataset (every annotation an image-level label), an image with more than one label.
    private static func multipleLabels(_ context: CheckContext) -> [Flag] {
        let annotations = context.dataset.annotations
        guard !annotations.isEmpty, annotations.allSatisfy({ $0.box == nil && $0.segmentation == nil }) else { return [] }
        return context.images.enumerated().compactMap { position, image in
            let labels = context.labels(ofImage: position)
            guard labels.count > 1 else { return nil }
            let names = labels.sorted().map { context.name(ofCategory: $0) }.joined(separator: ", ")
            return Flag(Finding(
                .multipleLabels, item: image.entry.path,
                message: "a classification image with \(labels.count) labels (\(names)); keep the one that is right",
                details: ["labels": .array(labels.sorted().map { .string(context.categoryNames[$0] ?? "\($0)") })]),
                image: position)
        }
    }
}
