import ContentAddressing
import Foundation

/// An entry of a dataset directory as the manifest and the encryptor walk it, in the same order: names starting
/// with "." left out, symlinks and special files refused where they are met.
struct DatasetEntry {
    let name: String
    let path: String
    /// The path relative to the dataset's root.
    let relative: String
    let kind: FileKind

    /// The entries of the directory `path` (at `relative` within the dataset), in name order.
    /// - Throws: ``StorageError`` `.invalidDataset` when the directory or an entry cannot be read.
    static func entries(of path: String, relative: String) throws(StorageError) -> [DatasetEntry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw StorageError(.invalidDataset, "cannot list \(path): \(error.localizedDescription)")
        }
        var entries: [DatasetEntry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let childPath = path + "/" + name
            do {
                entries.append(DatasetEntry(
                    name: name, path: childPath, relative: relative.isEmpty ? name : relative + "/" + name,
                    kind: try FileKind(path: childPath)))
            } catch {
                throw StorageError(.invalidDataset, error.message)
            }
        }
        return entries
    }

    /// `transform` of each regular file among `entries`, side by side on every core, in their order: take them
    /// with `next()` while walking `entries`. Matched by position, not by name, since two names may differ only in
    /// their Unicode normalisation.
    static func mapFiles<Result: Sendable>(
        _ entries: [DatasetEntry], _ transform: (DatasetEntry) throws -> Result
    ) throws -> IndexingIterator<[Result]> {
        let files = entries.filter { if case .regular = $0.kind { true } else { false } }
        return try ConcurrentMap.map(files, transform).makeIterator()
    }

    /// Why a dataset may not hold this entry, for one that is neither a regular file nor a directory.
    var refusal: StorageError {
        if case .symlink = kind {
            return StorageError(.invalidDataset, "\(relative) is a symlink; datasets may hold only files and directories")
        }
        return StorageError(.invalidDataset, "\(relative) is not a regular file or directory")
    }
}
