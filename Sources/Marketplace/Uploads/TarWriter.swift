/// Writes a tar archive of files, as ``TarReader`` and GNU tar read it: a POSIX ustar header per file (mode 0644,
/// owner and time zero, so the same files make the same archive), its path split between the `prefix` and `name`
/// fields when it fits them, and otherwise given by a pax extended header's `path` record. The client's upload
/// packs a dataset's small files into archives with it, so a thousand images travel in a few dozen requests.
public struct TarWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Adds a regular file at `path` ("/"-separated, relative).
    public mutating func add(path: String, contents: [UInt8]) {
        add(path: path, size: contents.count) { $0.copyBytes(from: contents) }
    }

    /// Adds a regular file of `size` bytes at `path`, which `fill` writes straight into the archive (a file read
    /// from disk into its place, with no copy in between).
    public mutating func add(path: String, size: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        precondition(size >= 0 && size < 1 << 33, "a ustar entry holds less than 8 GiB")
        let name = Array(path.utf8)
        let split = Self.split(name)
        if split == nil {
            // "<length> path=<name>\n", where the length counts itself.
            let record = Array(" path=".utf8) + name + [0x0a]
            var length = record.count + 1
            while String(length).utf8.count + record.count > length { length += 1 }
            let pax = Array(String(length).utf8) + record
            appendHeader(name: Array("PaxHeaders/entry".utf8), prefix: [], size: pax.count, type: UInt8(ascii: "x"))
            bytes += pax
            bytes += repeatElement(0, count: Self.padded(pax.count) - pax.count)
        }
        appendHeader(name: split?.name ?? Array(name.suffix(100)), prefix: split?.prefix ?? [], size: size, type: UInt8(ascii: "0"))
        let start = bytes.count
        bytes += repeatElement(0, count: Self.padded(size))
        try bytes.withUnsafeMutableBytes { try fill(UnsafeMutableRawBufferPointer(rebasing: $0[start..<start + size])) }
    }

    /// Ends the archive with its two zero blocks and gives it (in place: a writer dropped afterwards leaves the
    /// bytes uncopied).
    public mutating func finish() -> [UInt8] {
        bytes += repeatElement(0, count: 1024)
        return bytes
    }

    /// The ustar `prefix` and `name` of a path: the whole path as the name when it fits 100 bytes, else split at a
    /// "/" with at most 155 bytes before it; nil when neither fits.
    static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if path.count <= 100 { return ([], path) }
        for index in path.indices.reversed() where path[index] == UInt8(ascii: "/") {
            let prefix = Array(path[..<index])
            let name = Array(path[(index + 1)...])
            if name.count > 100 || name.isEmpty { return nil }
            if prefix.count <= 155 { return (prefix, name) }
        }
        return nil
    }

    private mutating func appendHeader(name: [UInt8], prefix: [UInt8], size: Int, type: UInt8) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int) {
            for (index, byte) in field.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put(Array("        ".utf8), at: 148)
        header[156] = type
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(Array(octal(sum, width: 7)) + [0x20], at: 148)
        bytes += header
    }

    private static func padded(_ size: Int) -> Int { (size + 511) / 512 * 512 }
}
