import Foundation
import Marketplace

extension FuzzTarget {
    /// A tar archive as `PUT /v1/uploads/{id}` with `Content-Type: application/x-tar` receives it, in pieces
    /// that do not line up with its 512-byte blocks, under small limits.
    static let tar = FuzzTarget(name: "tar", summary: "a tar archive of dataset files (ustar, pax, GNU)") { input in
        let folder = ScratchFolder.fresh("tar")
        let limits = UploadLimits(fileBytes: 1 << 20, uploadBytes: 4 << 20, files: 64)
        var receiver = ArchiveReceiver(staging: folder.path, limits: limits, uploadBytes: 0, held: [:])
        do {
            try input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let piece = min(509, bytes.count - offset)
                    try receiver.read(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + piece]))
                    offset += piece
                }
            }
            try receiver.finish()
            try UploadStore.checkFolders(receiver.received.map(\.path), held: [])
        } catch {
            receiver.abandon()
            return .refused
        }
        var total: Int64 = 0
        for file in receiver.received {
            let size = (try? FileManager.default.attributesOfItem(atPath: file.temporary)[.size] as? Int64) ?? -1
            require(size == file.size, "\(file.path) was received as \(file.size) bytes but \(size) are on disk")
            require(file.size <= limits.fileBytes, "\(file.path) is over the file limit")
            require(!file.path.components.contains { $0 == ".." || $0.isEmpty }, "\(file.path) escapes its folder")
            total += file.size
        }
        require(total <= limits.uploadBytes, "the archive is over the upload limit")
        require(receiver.received.count <= limits.files, "the archive holds more files than the limit")
        return .accepted
    }
}
