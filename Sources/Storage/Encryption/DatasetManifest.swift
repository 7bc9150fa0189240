public import ContentAddressing
import Foundation

/// The public list of a dataset's plaintext files: each file's path, size and CID (CIDv1, raw leaves, as
/// `lightbox cid --cid-version 1` or `ipfs add --cid-version 1` gives it). A buyer checks every decrypted file
/// against it; anyone can check a file they hold against a listing.
public struct DatasetManifest: Codable, Sendable, Equatable {
    /// One plaintext file.
    public struct File: Codable, Sendable, Equatable {
        /// The path relative to the dataset root, "/"-separated.
        public let path: String
        public let size: UInt64
        /// The plaintext file's CID.
        public let cid: String

        public init(path: String, size: UInt64, cid: String) {
            self.path = path
            self.size = size
            self.cid = cid
        }
    }

    public var version = 1
    public let dataset: String
    /// How the content is encrypted.
    public var encryption = "lightbox-secretstream-xchacha20poly1305-v1"
    /// Files, sorted by path.
    public let files: [File]

    public init(dataset: String, files: [File]) {
        self.dataset = dataset
        self.files = files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// Canonical JSON: sorted keys, no insignificant whitespace.
    public func canonicalJSON() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }

    /// Parses a manifest.
    public init(json: [UInt8]) throws(StorageError) {
        do {
            self = try JSONDecoder().decode(DatasetManifest.self, from: Data(json))
        } catch {
            throw StorageError(.invalidDataset, "the dataset manifest is not valid: \(error)")
        }
        guard version == 1 else { throw StorageError(.invalidDataset, "manifest version \(version) is not supported") }
    }

    /// The options plaintext CIDs are computed with.
    public static let plaintextOptions = try! ImportOptions(cidVersion: 1)
}
