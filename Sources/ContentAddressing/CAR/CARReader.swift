/// Reads a CAR stream incrementally and verifies every block against its CID as it arrives.
///
/// Bytes are pushed in whatever pieces they arrive (``push(_:)``); complete blocks are pulled with
/// ``nextBlock()``. CARv1 and CARv2 (its embedded CARv1 payload; the index is ignored) are accepted.
/// A section longer than a 2 MiB block is refused before it is buffered, so memory stays bounded, and
/// ``finish()`` fails if the stream stopped inside a section. The header's roots are reported but, as the
/// CAR specification asks, never trusted: callers walk the DAG from the CID they wanted.
public struct CARReader {
    /// The header, once read.
    public private(set) var header: CARHeader?
    private var buffer: [UInt8] = []
    private var position = 0
    /// Bytes of CARv1 payload left when reading a CARv2 (nil for CARv1).
    private var payloadRemaining: UInt64?
    private var ended = false
    /// Longest section accepted: a 2 MiB block plus a generous CID.
    static let maxSectionLength = UInt64(Block.maxByteCount + 128)
    /// Most padding accepted between a CARv2 header and its payload.
    static let maxCARv2Padding: UInt64 = 1 << 20
    static let carV2Pragma: [UInt8] = [0x0a, 0xa1, 0x67] + Array("version".utf8) + [0x02]
    /// The 11-byte CARv2 pragma, for tests that build CARv2 files.
    public static var carV2PragmaForTests: [UInt8] { carV2Pragma }

    public init() {}

    /// Adds bytes received from the stream.
    public mutating func push(_ bytes: some Collection<UInt8>) {
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next verified block, or `nil` until more bytes arrive.
    /// - Throws: `.invalidCAR`, `.blockTooLarge`, `.hashMismatch`, `.unsupportedCodec` or `.unsupportedHash`.
    public mutating func nextBlock() throws(ContentAddressingError) -> Block? {
        if header == nil {
            guard try readHeader() else { return nil }
        }
        if payloadRemaining == 0 || ended {
            ended = true
            position = buffer.count  // a CARv2 index or padding follows the payload: not read
            return nil
        }
        var cursor = position
        let length: UInt64
        do {
            length = try Varint.decode(buffer, at: &cursor)
        } catch where error.code == .truncated {
            return nil
        }
        guard length <= Self.maxSectionLength else {
            throw ContentAddressingError(
                .blockTooLarge, "a CAR section is \(length) bytes; blocks larger than 2 MiB are refused")
        }
        guard length > 0 else { throw ContentAddressingError(.invalidCAR, "a CAR section is empty") }
        guard UInt64(buffer.count - cursor) >= length else { return nil }
        let sectionEnd = cursor + Int(length)
        let cid = try CID(reading: buffer[cursor..<sectionEnd], at: &cursor)
        let bytes = Array(buffer[cursor..<sectionEnd])
        if let remaining = payloadRemaining {
            let used = UInt64(sectionEnd - position)
            guard used <= remaining else {
                throw ContentAddressingError(.invalidCAR, "a CAR section runs past the CARv2 data size")
            }
            payloadRemaining = remaining - used
        }
        position = sectionEnd
        return try Block(verifying: bytes, as: cid)
    }

    /// Call when the stream has ended.
    /// - Throws: `.truncated` when it stopped inside the header or a section.
    public func finish() throws(ContentAddressingError) {
        guard header != nil else { throw ContentAddressingError(.truncated, "the CAR stream ended before its header") }
        if ended { return }
        if position < buffer.count || (payloadRemaining ?? 0) > 0 {
            throw ContentAddressingError(.truncated, "the CAR stream ended in the middle of a block")
        }
    }

    private mutating func readHeader() throws(ContentAddressingError) -> Bool {
        let available = buffer[position...]
        if payloadRemaining == nil && available.count < Self.carV2Pragma.count
            && available.elementsEqual(Self.carV2Pragma.prefix(available.count))
        {
            return false  // could still be a CARv2 pragma
        }
        if payloadRemaining == nil && buffer.count - position >= Self.carV2Pragma.count
            && buffer[position..<position + Self.carV2Pragma.count].elementsEqual(Self.carV2Pragma)
        {
            // CARv2: pragma, 16-byte characteristics, then data offset, data size, index offset (u64 LE), then
            // padding up to the data offset. Nothing is consumed until all of it has arrived.
            guard buffer.count - position >= 11 + 40 else { return false }
            let fields = position + 11 + 16
            func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(buffer[at + $1]) << ($1 * 8) } }
            let dataOffset = u64(fields)
            let dataSize = u64(fields + 8)
            guard dataOffset >= 51, dataOffset <= 51 + Self.maxCARv2Padding, dataSize > 0 else {
                throw ContentAddressingError(.invalidCAR, "the CARv2 header's data offset or size is invalid")
            }
            guard UInt64(buffer.count - position) >= dataOffset else { return false }
            position += Int(dataOffset)
            payloadRemaining = dataSize
        }
        var cursor = position
        let length: UInt64
        do {
            length = try Varint.decode(buffer, at: &cursor)
        } catch where error.code == .truncated {
            return false
        }
        guard length > 0, length <= 64 * 1024 else {
            throw ContentAddressingError(.invalidCAR, "the CAR header length \(length) is not plausible")
        }
        guard UInt64(buffer.count - cursor) >= length else { return false }
        header = try CARHeader(decoding: Array(buffer[cursor..<cursor + Int(length)]))
        if let remaining = payloadRemaining {
            let used = UInt64(cursor + Int(length) - position)
            guard used <= remaining else {
                throw ContentAddressingError(.invalidCAR, "the CARv2 data size is smaller than its CARv1 header")
            }
            payloadRemaining = remaining - used
        }
        position = cursor + Int(length)
        return true
    }
}
