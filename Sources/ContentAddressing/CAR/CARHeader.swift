/// The CARv1 header: `{"roots": [CID…], "version": 1}` in canonical DAG-CBOR.
public struct CARHeader: Sendable, Equatable {
    /// The roots the writer named. Readers must not trust them to describe the contents.
    public var roots: [CID]

    public init(roots: [CID]) { self.roots = roots }

    /// The header with its varint length prefix, as it starts a CAR file.
    public func encoded() -> [UInt8] {
        var cbor: [UInt8] = [0xa2, 0x65] + Array("roots".utf8)
        appendCBORHead(major: 4, UInt64(roots.count), to: &cbor)
        for root in roots {
            cbor += [0xd8, 0x2a]  // tag 42: CID
            appendCBORHead(major: 2, UInt64(root.bytes.count + 1), to: &cbor)
            cbor.append(0x00)  // the multibase identity prefix DAG-CBOR puts before binary CIDs
            cbor += root.bytes
        }
        cbor += [0x67] + Array("version".utf8) + [0x01]
        return Varint.encode(UInt64(cbor.count)) + cbor
    }

    /// Decodes the DAG-CBOR header (without its length prefix).
    /// - Throws: `.invalidCAR` when it is not a version-1 header with a roots list.
    public init(decoding cbor: [UInt8]) throws(ContentAddressingError) {
        var reader = CBORReader(bytes: cbor)
        let (major, entries) = try reader.head()
        guard major == 5 else { throw ContentAddressingError(.invalidCAR, "the CAR header is not a map") }
        var roots: [CID]?
        var version: UInt64?
        for _ in 0..<entries {
            let key = try reader.text()
            switch key {
            case "roots":
                let (listMajor, count) = try reader.head()
                guard listMajor == 4, count <= 1024 else {
                    throw ContentAddressingError(.invalidCAR, "the CAR header's roots is not a list")
                }
                var list = [CID]()
                for _ in 0..<count { list.append(try reader.cid()) }
                roots = list
            case "version":
                let (valueMajor, value) = try reader.head()
                guard valueMajor == 0 else { throw ContentAddressingError(.invalidCAR, "the CAR version is not a number") }
                version = value
            default:
                throw ContentAddressingError(.invalidCAR, "the CAR header has an unknown key '\(key)'")
            }
        }
        guard reader.isAtEnd else { throw ContentAddressingError(.invalidCAR, "bytes follow the CAR header") }
        guard version == 1 else {
            throw ContentAddressingError(
                .invalidCAR, "CAR version \(version.map(String.init) ?? "missing") is not supported here; expected 1")
        }
        self.roots = roots ?? []
    }
}

private func appendCBORHead(major: UInt8, _ value: UInt64, to out: inout [UInt8]) {
    switch value {
    case 0..<24: out.append(major << 5 | UInt8(value))
    case 24..<256: out += [major << 5 | 24, UInt8(value)]
    case 256..<65536: out += [major << 5 | 25, UInt8(value >> 8), UInt8(value & 0xff)]
    default: out += [major << 5 | 26] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

/// Just enough DAG-CBOR to read a CAR header: heads, text keys, tagged CIDs.
private struct CBORReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(ContentAddressingError) -> UInt8 {
        guard offset < bytes.count else { throw ContentAddressingError(.truncated, "the CAR header ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func head() throws(ContentAddressingError) -> (major: UInt8, value: UInt64) {
        let initial = try byte()
        let major = initial >> 5
        let info = initial & 31
        switch info {
        case 0..<24: return (major, UInt64(info))
        case 24...27:
            var value: UInt64 = 0
            for _ in 0..<(1 << (info - 24)) { value = value << 8 | UInt64(try byte()) }
            return (major, value)
        default: throw ContentAddressingError(.invalidCAR, "the CAR header uses CBOR that DAG-CBOR forbids")
        }
    }

    mutating func payload(_ count: UInt64) throws(ContentAddressingError) -> ArraySlice<UInt8> {
        guard count <= UInt64(bytes.count - offset) else {
            throw ContentAddressingError(.truncated, "the CAR header ends early")
        }
        defer { offset += Int(count) }
        return bytes[offset..<offset + Int(count)]
    }

    mutating func text() throws(ContentAddressingError) -> String {
        let (major, length) = try head()
        guard major == 3 else { throw ContentAddressingError(.invalidCAR, "a CAR header key is not text") }
        return String(decoding: try payload(length), as: UTF8.self)
    }

    mutating func cid() throws(ContentAddressingError) -> CID {
        let (major, tag) = try head()
        guard major == 6, tag == 42 else { throw ContentAddressingError(.invalidCAR, "a CAR root is not a CID") }
        let (bytesMajor, length) = try head()
        guard bytesMajor == 2, length > 1 else { throw ContentAddressingError(.invalidCAR, "a CAR root is not a CID") }
        let body = try payload(length)
        guard body.first == 0 else { throw ContentAddressingError(.invalidCAR, "a CAR root CID lacks its 0x00 prefix") }
        return try CID(bytes: Array(body.dropFirst()))
    }
}
