/// How large an upload may grow, and how much one account may keep on the node. Settings override the defaults.
public struct UploadLimits: Sendable, Equatable {
    /// Bytes in one file.
    public var fileBytes: Int64 = 256 << 20
    /// Bytes in one upload, all files together.
    public var uploadBytes: Int64 = 16 << 30
    /// Files in one upload.
    public var files: Int = 200_000
    /// Uploads one account may have open (not yet taken by a publication) at once.
    public var openUploadsPerAccount: Int = 10
    /// Bytes one account may keep on the node: the plaintext of its uploads not yet removed, and its evidence.
    public var accountBytes: Int64 = 32 << 30
    /// Seconds an open upload may stay without a new file before it is removed with its files.
    public var expirySeconds: Int64 = 48 * 3600
    /// Whether the plaintext of a published upload stays on the node once its encrypted copy is stored.
    public var keepPlaintext: Bool = false

    public init(
        fileBytes: Int64 = 256 << 20, uploadBytes: Int64 = 16 << 30, files: Int = 200_000,
        openUploadsPerAccount: Int = 10, accountBytes: Int64 = 32 << 30, expirySeconds: Int64 = 48 * 3600,
        keepPlaintext: Bool = false
    ) {
        self.fileBytes = fileBytes
        self.uploadBytes = uploadBytes
        self.files = files
        self.openUploadsPerAccount = openUploadsPerAccount
        self.accountBytes = accountBytes
        self.expirySeconds = expirySeconds
        self.keepPlaintext = keepPlaintext
    }
}
