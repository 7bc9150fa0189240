/// Reads the ImageNet-style classification layout: one folder per class, the folder an image is in naming its
/// label (`train/dog/1.jpg`, `dog/1.jpg`, `images/val/cat/2.png`), with no annotation file. Classes are the folder
/// names in byte order, numbered from 0 (as torchvision's `ImageFolder` numbers them); the split comes from a
/// `train`, `val` or `test` folder above. An image directly in a split folder or at the root has no label.
struct ClassFoldersReader {
    let listing: DatasetListing

    /// The class an image's folder names; nil for an image at the root, directly in a split folder or in
    /// `images/`.
    static func className(of image: String) -> String? {
        let folder = DatasetPaths.directory(image)
        guard !folder.isEmpty else { return nil }
        let name = DatasetPaths.name(folder)
        return notClasses.contains(name.lowercased()) ? nil : name
    }

    /// Folder names that are splits or image folders, not classes.
    static let notClasses: Set<String> = ["train", "training", "val", "valid", "validation", "test", "testing", "images"]

    /// Whether the images are laid out in class folders: at least two classes, and most images in one (those that
    /// are not are reported unlabelled).
    static func looksLikeClassFolders(_ listing: DatasetListing) -> Bool {
        let labelled = listing.images.compactMap(className(of:))
        return Set(labelled).count >= 2 && labelled.count * 2 > listing.images.count
    }

    func read() throws(VisionError) -> AnnotatedDataset {
        guard !listing.images.isEmpty else {
            throw VisionError(.unknownFormat, "no images under \(listing.root) to read class folders from")
        }
        let names = Set(listing.images.compactMap(Self.className(of:))).sorted(by: DatasetPaths.utf8Order)
        let ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
        var dataset = AnnotatedDataset(format: .imagenet, categories: names.enumerated().map { Category(id: $0.offset, name: $0.element) })
        for image in listing.images {
            let position = dataset.images.count
            let location = SourceLocation(file: image)
            dataset.images.append(ImageEntry(path: image, split: DatasetPaths.split(ofDirectoriesIn: image), location: location))
            if let name = Self.className(of: image) {
                dataset.annotations.append(Annotation(
                    image: position, category: ids[name], box: nil, convention: .cocoPixels, location: location))
            }
        }
        return dataset
    }
}
