/// How large an upload may grow. Settings override the defaults.
public struct UploadLimits: Sendable, Equatable {
    /// Bytes in one file.
    public var fileBytes: Int64 = 256 << 20
    /// Bytes in one upload, all files together.
    public var uploadBytes: Int64 = 16 << 30
    /// Files in one upload.
    public var files: Int = 200_000

    public init(fileBytes: Int64 = 256 << 20, uploadBytes: Int64 = 16 << 30, files: Int = 200_000) {
        self.fileBytes = fileBytes
        self.uploadBytes = uploadBytes
        self.files = files
    }
}
