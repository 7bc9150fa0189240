public import Marketplace

/// `POST /v1/uploads` and `GET /v1/uploads/{id}`: the upload, the files that arrived (on GET), and the limits.
public struct UploadResponse: Codable, Sendable {
    public let upload: Upload
    public let files: [Upload.File]?
    public let limits: UploadLimitsView

    public init(upload: Upload, files: [Upload.File]?, limits: UploadLimitsView) {
        self.upload = upload
        self.files = files
        self.limits = limits
    }
}

public struct UploadLimitsView: Codable, Sendable {
    public let fileBytes: Int64
    public let uploadBytes: Int64
    public let files: Int

    public init(fileBytes: Int64, uploadBytes: Int64, files: Int) {
        self.fileBytes = fileBytes
        self.uploadBytes = uploadBytes
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case files
        case fileBytes = "file_bytes"
        case uploadBytes = "upload_bytes"
    }
}

/// `PUT /v1/uploads/{id}/files/{path}`: the file as stored.
public struct UploadedFile: Codable, Sendable {
    public let file: Upload.File
    public init(file: Upload.File) { self.file = file }
}

/// `POST /v1/uploads/{id}/archive`: the files the archive held.
public struct UploadedArchive: Codable, Sendable {
    public let files: [Upload.File]
    public init(files: [Upload.File]) { self.files = files }
}
