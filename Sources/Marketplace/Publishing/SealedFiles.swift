import LightboxCrypto
import Storage
import Vision

/// The files of a sealed upload as each was recorded when it arrived (path, size, SHA-256), and the check that the
/// quality check and the manifest read exactly those bytes. The attestation is signed only when they did, so the
/// manifest it names describes the very files that were checked.
struct SealedFiles {
    let files: [String: Upload.File]

    init(_ files: [Upload.File]) {
        self.files = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Nil when the manifest describes exactly the sealed files, byte for byte, and every image the check read is
    /// one of them, byte for byte; else what differs, for the publication's owner to read.
    /// - Parameters:
    ///   - checked: The check's image summaries (each with the SHA-256 of the bytes it decoded).
    ///   - manifest: The manifest computed from the dataset's folder, and each of its files' SHA-256.
    func difference(checked: [ImageSummary?], manifest: DatasetManifest, sha256: [String: [UInt8]]) -> String? {
        let described = Set(manifest.files.map(\.path))
        if let extra = described.subtracting(files.keys).sorted().first {
            return "\(extra) is in the dataset's folder but was never received"
        }
        if let missing = Set(files.keys).subtracting(described).sorted().first {
            return "\(missing) was received but is no longer in the dataset's folder"
        }
        for file in manifest.files {
            guard let sealed = files[file.path], UInt64(sealed.size) == file.size, sealed.sha256 == sha256[file.path]?.hexString else {
                return "\(file.path) is not the file that was received"
            }
        }
        for summary in checked.compactMap({ $0 }) where !summary.sha256.isEmpty {
            guard files[summary.path]?.sha256 == summary.sha256.hexString else {
                return "\(summary.path) was checked with other bytes than were received"
            }
        }
        return nil
    }
}
