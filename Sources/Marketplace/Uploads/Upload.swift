public import LightboxCrypto

/// A dataset being uploaded: files arrive one request each, so an interrupted upload resumes by sending only the
/// files ``UploadStore/files(of:logger:)`` does not list yet. It is `open` until a publication takes it (`sealed`);
/// `removed` once its files are gone from the node: expired while open, deleted by its owner, or — the published
/// ones — once their encrypted copy is stored.
public struct Upload: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case open, sealed, removed
    }

    public let id: String
    public let owner: EthereumAddress
    public var state: State
    public var fileCount: Int64
    public var byteCount: Int64
    public let createdAt: Int64
    /// The data directory holding its files (``UploadStore/disk``); empty for uploads from before directories were
    /// told apart, which any process may take. Not part of the API.
    public var disk = ""

    /// The job queue of the processes that can read its files; nil for the default queue.
    public var jobQueue: String? { UploadStore.jobQueue(ofDisk: disk) }

    enum CodingKeys: String, CodingKey {
        case id, owner, state
        case fileCount = "file_count"
        case byteCount = "byte_count"
        case createdAt = "created_at"
    }

    /// One received file.
    public struct File: Sendable, Codable, Equatable {
        public let path: String
        public let size: Int64
        public let sha256: String
        /// Its plaintext CID as the dataset's manifest gives it, computed as it arrived; nil for files received
        /// before CIDs were recorded. Not part of the API.
        public var cid: String?

        enum CodingKeys: String, CodingKey {
            case path, size, sha256
        }

        public init(path: String, size: Int64, sha256: String, cid: String? = nil) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.cid = cid
        }
    }
}
