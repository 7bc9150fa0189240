/// Finds an image by the name an annotation gives it, wherever it lies in the dataset — as the tools that write
/// annotations expect (FiftyOne's VOC export keeps images in `data/` and XML in `labels/`; a COCO `file_name` or
/// a VOC `<path>` may carry folders, or an absolute path from the exporting machine).
struct ImageFileIndex {
    /// Image files on disk by their last component.
    private let imagesByName: [String: [String]]

    init(listing: DatasetListing) {
        imagesByName = Dictionary(grouping: listing.images, by: DatasetPaths.name)
    }

    /// The image file named `reference` (a name, a relative path or an absolute one): among the files with its
    /// last component, the one sharing the most trailing folders with it, then the one nearest `folder` (the
    /// annotation's), then the first in byte order. Nil when no image has that name.
    func find(_ reference: String, near folder: String) -> String? {
        let components = reference.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard let name = components.last, let candidates = imagesByName[String(name)], !candidates.isEmpty else {
            return nil
        }
        guard candidates.count > 1 else { return candidates[0] }
        let near = folder.split(separator: "/")
        func score(_ path: String) -> (trailing: Int, shared: Int) {
            let parts = path.split(separator: "/")
            let trailing = zip(parts.reversed(), components.reversed()).prefix { $0 == $1 }.count
            let shared = zip(parts.dropLast(), near).prefix { $0 == $1 }.count
            return (trailing, shared)
        }
        return candidates.min { a, b in
            let (scoreA, scoreB) = (score(a), score(b))
            if scoreA.trailing != scoreB.trailing { return scoreA.trailing > scoreB.trailing }
            if scoreA.shared != scoreB.shared { return scoreA.shared > scoreB.shared }
            return DatasetPaths.utf8Order(a, b)
        }
    }
}
