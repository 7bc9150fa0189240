import LightboxCrypto
import Storage
import Vision

/// The files of a sealed upload as each was recorded when it arrived (path, size, SHA-256, CID), and the check that the
/// quality check and the manifest read exactly those bytes. The attestation is signed only when they did, so the
/// manifest it names describes the very files that were checked.
struct SealedFiles {
    let files: [String: Upload.File]

    init(_ files: [Upload.File]) {
        self.files = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Manifest entries for the sealed files that need not be read again: images the check read with the sealed
    /// bytes (the same SHA-256), whose CID was recorded as they arrived.
    func vouched(by checked: [ImageSummary?]) -> [String: DatasetManifest.File] {
        var entries: [String: DatasetManifest.File] = [:]
        for summary in checked.compactMap({ $0 }) where !summary.sha256.isEmpty {
            guard let file = files[summary.path], let cid = file.cid, file.sha256 == summary.sha256.hexString else { continue }
            entries[file.path] = DatasetManifest.File(path: file.path, size: UInt64(file.size), cid: cid)
        }
        return entries
    }

    /// Nil when the manifest describes exactly the sealed files, byte for byte, and every image the check read is
    /// one of them, byte for byte; else what differs, for the publication's owner to read.
    /// - Parameters:
    ///   - checked: The check's image summaries (each with the SHA-256 of the bytes it decoded).
    ///   - manifest: The manifest computed from the dataset's folder, and the SHA-256 of each file read for it; a
    ///     file it did not read must be one of ``vouched(by:)``.
    func difference(checked: [ImageSummary?], manifest: DatasetManifest, sha256: [String: [UInt8]]) -> String? {
        let described = Set(manifest.files.map(\.path))
        if let extra = described.subtracting(files.keys).sorted().first {
            return "\(extra) is in the dataset's folder but was never received"
        }
        if let missing = Set(files.keys).subtracting(described).sorted().first {
            return "\(missing) was received but is no longer in the dataset's folder"
        }
        let vouched = vouched(by: checked)
        for file in manifest.files {
            // A file read for the manifest has its SHA-256; one not read must be vouched for.
            guard let sealed = files[file.path], UInt64(sealed.size) == file.size,
                  sha256[file.path].map({ sealed.sha256 == $0.hexString }) ?? (vouched[file.path] == file)
            else { return "\(file.path) is not the file that was received" }
        }
        for summary in checked.compactMap({ $0 }) where !summary.sha256.isEmpty {
            guard files[summary.path]?.sha256 == summary.sha256.hexString else {
                return "\(summary.path) was checked with other bytes than were received"
            }
        }
        return nil
    }
}
