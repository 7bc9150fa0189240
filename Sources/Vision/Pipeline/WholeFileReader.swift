import Foundation

/// Reads a file straight into one byte array (no intermediate `Data` copy, so a file costs its size once).
enum WholeFileReader {
    /// The first `size` bytes of the open file `descriptor` from its start (fewer if it is shorter), or nil when it
    /// cannot be read.
    static func read(_ descriptor: Int32, expectedSize size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: max(size, 0))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}
