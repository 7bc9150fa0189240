import Foundation

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
enum WholeFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw MarketplaceError(.conflict, "cannot write \(path)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw MarketplaceError(.conflict, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
