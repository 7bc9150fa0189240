import Foundation

/// A quick look at a JSON file's top-level member names without parsing it: enough to tell a COCO file from
/// other JSON, and lenient, so a COCO file with a syntax error further on is still recognised (and then reported).
enum JSONKeyScanner {
    /// The top-level member names, scanning until every name in `wanted` is seen (or to the end when `wanted` is
    /// empty); empty when the file cannot be read or does not start with an object.
    static func topLevelKeys(ofFileAt path: String, wanted: Set<String> = ["images"]) -> Set<String> {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return [] }
        return data.withUnsafeBytes { topLevelKeys($0, wanted: wanted) }
    }

    static func topLevelKeys(_ bytes: UnsafeRawBufferPointer, wanted: Set<String>) -> Set<String> {
        var keys: Set<String> = []
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return [] }
        var depth = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1 && expectingKey {
                    let end = min(index, bytes.count)
                    keys.insert(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                    if !wanted.isEmpty && wanted.isSubset(of: keys) { return keys }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 { return keys }
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            default:
                break
            }
            index += 1
        }
        return keys
    }
}
