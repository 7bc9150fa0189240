/// Reads a tar archive (POSIX ustar and pax, and GNU long names) as it streams in, a piece at a time, and hands
/// each regular file's path and bytes to its caller. Directories are skipped; links, devices and FIFOs are
/// refused, as is anything broken: a header whose checksum does not add up, a size that is not octal, an archive
/// that ends in the middle of an entry or without its end-of-archive block.
struct TarReader {
    /// What the reader tells its caller, in order: a file begins, its bytes (in pieces), it ends.
    protocol Consumer {
        mutating func begin(path: String, size: Int64) throws
        mutating func write(_ bytes: UnsafeRawBufferPointer) throws
        mutating func end() throws
    }

    private enum State {
        /// Collecting the next 512-byte header.
        case header
        /// Passing `remaining` bytes of a file to the consumer, then skipping `padding`.
        case file(remaining: Int64, padding: Int)
        /// Collecting a pax extended header or a GNU long name of `remaining` bytes, then skipping `padding`.
        case metadata(kind: UInt8, remaining: Int, padding: Int)
        /// Skipping `remaining` bytes (padding, or an entry that is not a file).
        case skip(remaining: Int64)
        /// Past the end-of-archive block; anything more is the record's zero padding.
        case ended
    }

    /// The most a pax header or GNU long name may hold.
    static let metadataLimit = 64 << 10

    private var state = State.header
    private var block: [UInt8] = []
    private var metadata: [UInt8] = []
    /// The path the next file takes from a pax `path` record or a GNU long name.
    private var pendingPath: String?
    private(set) var files = 0

    /// Reads the next piece of the archive.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` for a broken archive or an entry that is not a file or a
    ///   folder; whatever `consumer` throws.
    mutating func read(_ bytes: UnsafeRawBufferPointer, into consumer: inout some Consumer) throws {
        var offset = 0
        while offset < bytes.count {
            switch state {
            case .header:
                let take = min(512 - block.count, bytes.count - offset)
                block += bytes[offset..<offset + take]
                offset += take
                if block.count == 512 {
                    try header(into: &consumer)
                    block.removeAll(keepingCapacity: true)
                }
            case .file(let remaining, let padding):
                let take = Int(min(remaining, Int64(bytes.count - offset)))
                try consumer.write(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]))
                offset += take
                if remaining == Int64(take) {
                    try consumer.end()
                    files += 1
                    state = padding > 0 ? .skip(remaining: Int64(padding)) : .header
                } else {
                    state = .file(remaining: remaining - Int64(take), padding: padding)
                }
            case .metadata(let kind, let remaining, let padding):
                let take = min(remaining, bytes.count - offset)
                metadata += bytes[offset..<offset + take]
                offset += take
                if remaining == take {
                    try finishMetadata(kind)
                    state = padding > 0 ? .skip(remaining: Int64(padding)) : .header
                } else {
                    state = .metadata(kind: kind, remaining: remaining - take, padding: padding)
                }
            case .skip(let remaining):
                let take = Int(min(remaining, Int64(bytes.count - offset)))
                offset += take
                state = remaining == Int64(take) ? .header : .skip(remaining: remaining - Int64(take))
            case .ended:
                guard bytes[offset...].allSatisfy({ $0 == 0 }) else { throw Self.broken("it has data after its end-of-archive block") }
                offset = bytes.count
            }
        }
    }

    /// Checks that the archive ended where an archive may end.
    /// - Throws: ``MarketplaceError`` `.invalidRequest` when it was cut short.
    func finish() throws {
        guard case .ended = state else {
            switch state {
            case .file, .metadata, .skip: throw Self.broken("it ends in the middle of an entry (the upload was cut short?)")
            default: throw Self.broken(files == 0 ? "it is empty or not a tar archive" : "it has no end-of-archive block (cut short?)")
            }
        }
    }

    private mutating func header(into consumer: inout some Consumer) throws {
        if block.allSatisfy({ $0 == 0 }) {
            state = .ended
            return
        }
        guard let stored = Self.octal(block[148..<156]) else { throw Self.broken("a header's checksum field is not a number") }
        let sum = block.enumerated().reduce(Int64(0)) { total, element in
            total + Int64((148..<156).contains(element.offset) ? 0x20 : element.element)
        }
        guard stored == sum else { throw Self.broken("a header's checksum does not add up (not a tar archive, or damaged)") }
        guard let size = Self.octal(block[124..<136]), size >= 0 else { throw Self.broken("an entry's size is not a number") }
        let padding = Int((512 - size % 512) % 512)
        let kind = block[156]
        var name = Self.text(block[0..<100])
        if block[257..<262].elementsEqual("ustar".utf8) {
            let prefix = Self.text(block[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        let path = pendingPath ?? name
        switch kind {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            pendingPath = nil
            try consumer.begin(path: path, size: size)
            if size == 0 {
                try consumer.end()
                files += 1
                state = .header
            } else {
                state = .file(remaining: size, padding: padding)
            }
        case UInt8(ascii: "5"):
            pendingPath = nil
            state = size > 0 ? .skip(remaining: size + Int64(padding)) : .header
        case UInt8(ascii: "x"), UInt8(ascii: "L"):
            guard size <= Self.metadataLimit else { throw Self.broken("an extended header is larger than \(Self.metadataLimit) bytes") }
            metadata.removeAll(keepingCapacity: true)
            state = size > 0 ? .metadata(kind: kind, remaining: Int(size), padding: padding) : .header
        case UInt8(ascii: "g"):
            state = size > 0 ? .skip(remaining: size + Int64(padding)) : .header
        case UInt8(ascii: "1"), UInt8(ascii: "2"):
            throw MarketplaceError(.invalidRequest, "the archive holds a link at '\(path.prefix(120))'; a dataset archive holds files and folders only")
        default:
            throw MarketplaceError(
                .invalidRequest, "the archive holds '\(path.prefix(120))', which is not a file or a folder (type '\(Character(Unicode.Scalar(kind)))')")
        }
    }

    /// A pax header's `path` record, or a GNU long name, names the next file.
    private mutating func finishMetadata(_ kind: UInt8) throws {
        if kind == UInt8(ascii: "L") {
            pendingPath = Self.text(metadata[...])
            return
        }
        // Records are "<length> <key>=<value>\n", the length counting the whole record.
        var rest = metadata[...]
        while !rest.isEmpty {
            guard let space = rest.firstIndex(of: 0x20), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
                  length > space - rest.startIndex + 1, length <= rest.count, rest[rest.startIndex + length - 1] == 0x0a
            else { throw Self.broken("a pax extended header is malformed") }
            let record = rest[(space + 1)..<(rest.startIndex + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")), String(decoding: record[record.startIndex..<equals], as: UTF8.self) == "path" {
                pendingPath = String(decoding: record[(equals + 1)...], as: UTF8.self)
            }
            rest = rest[(rest.startIndex + length)...]
        }
    }

    /// A NUL- or space-terminated octal number (as tar writes sizes and checksums); nil when it is not one.
    static func octal(_ field: ArraySlice<UInt8>) -> Int64? {
        let digits = field.prefix { $0 != 0 }.drop { $0 == 0x20 }.prefix { $0 != 0x20 }
        guard !digits.isEmpty, digits.count <= 21, digits.allSatisfy({ (0x30...0x37).contains($0) }) else { return nil }
        return digits.reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }

    static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    static func broken(_ why: String) -> MarketplaceError {
        MarketplaceError(.invalidRequest, "the archive is broken: \(why); send an uncompressed tar archive (ustar or pax) of the dataset's folder")
    }
}
