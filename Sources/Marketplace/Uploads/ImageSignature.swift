/// Whether a file named as an image starts like one: PNG's eight-byte signature, JPEG's SOI marker. An upload
/// that claims to be an image and is not is refused at once rather than found by the check later.
enum ImageSignature {
    static func mismatch(path: UploadPath, head: [UInt8]) -> String? {
        let name = path.components.last?.lowercased() ?? ""
        if name.hasSuffix(".png") {
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            return head.starts(with: png) ? nil : "\(path) is named .png but is not a PNG image"
        }
        if name.hasSuffix(".jpg") || name.hasSuffix(".jpeg") {
            return head.starts(with: [0xFF, 0xD8, 0xFF]) ? nil : "\(path) is named .\(name.split(separator: ".").last!) but is not a JPEG image"
        }
        return nil
    }
}
