/// The few protobuf wire-format pieces DAG-PB and UnixFS need: varint and length-delimited fields.
enum Protobuf {
    static let varintWireType: UInt8 = 0
    static let bytesWireType: UInt8 = 2

    static func appendKey(field: UInt8, wireType: UInt8, to out: inout [UInt8]) {
        out.append(field << 3 | wireType)
    }

    static func appendVarintField(_ field: UInt8, _ value: UInt64, to out: inout [UInt8]) {
        appendKey(field: field, wireType: varintWireType, to: &out)
        Varint.append(value, to: &out)
    }

    static func appendBytesField(_ field: UInt8, _ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendKey(field: field, wireType: bytesWireType, to: &out)
        Varint.append(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    /// Reads fields one by one from a message.
    struct Reader {
        let bytes: ArraySlice<UInt8>
        var offset: Int
        let what: String

        init(_ bytes: ArraySlice<UInt8>, what: String) {
            self.bytes = bytes
            self.offset = bytes.startIndex
            self.what = what
        }

        /// The next field, or `nil` at the end of the message.
        mutating func next() throws(ContentAddressingError) -> Field? {
            guard offset < bytes.endIndex else { return nil }
            let key = try readVarint()
            let number = key >> 3
            switch UInt8(key & 7) {
            case varintWireType:
                return Field(number: number, value: .varint(try readVarint()))
            case bytesWireType:
                let length = try readVarint()
                guard length <= UInt64(bytes.endIndex - offset) else {
                    throw ContentAddressingError(.truncated, "\(what) ends inside field \(number)")
                }
                let value = bytes[offset..<offset + Int(length)]
                offset += Int(length)
                return Field(number: number, value: .bytes(value))
            default:
                throw ContentAddressingError(.invalidNode, "\(what) has field \(number) with unsupported wire type \(key & 7)")
            }
        }

        private mutating func readVarint() throws(ContentAddressingError) -> UInt64 {
            do {
                return try Varint.decode(bytes, at: &offset)
            } catch {
                throw ContentAddressingError(error.code, "\(what): \(error.message)")
            }
        }
    }

    struct Field {
        enum Value {
            case varint(UInt64)
            case bytes(ArraySlice<UInt8>)
        }
        let number: UInt64
        let value: Value

        func varint(in what: String) throws(ContentAddressingError) -> UInt64 {
            guard case .varint(let value) = value else {
                throw ContentAddressingError(.invalidNode, "\(what) field \(number) should be a varint")
            }
            return value
        }

        func bytes(in what: String) throws(ContentAddressingError) -> ArraySlice<UInt8> {
            guard case .bytes(let value) = value else {
                throw ContentAddressingError(.invalidNode, "\(what) field \(number) should be length-delimited")
            }
            return value
        }
    }
}
