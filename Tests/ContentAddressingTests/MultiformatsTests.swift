import ContentAddressing
import Foundation
import Testing

@Suite("Multiformats")
struct MultiformatsTests {
    @Test("varints round-trip and reject overlong or non-minimal encodings")
    func varints() throws {
        for value: UInt64 in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 32, UInt64(Int64.max)] {
            var offset = 0
            #expect(try Varint.decode(Varint.encode(value), at: &offset) == value)
            #expect(Varint.byteCount(value) == Varint.encode(value).count)
        }
        var offset = 0
        #expect(throws: ContentAddressingError(.invalidVarint, "")) { try Varint.decode([0x80, 0x00], at: &offset) }
        offset = 0
        #expect(throws: ContentAddressingError(.truncated, "")) { try Varint.decode([0x80], at: &offset) }
        offset = 0
        #expect(throws: ContentAddressingError(.invalidVarint, "")) { try Varint.decode([UInt8](repeating: 0xff, count: 10), at: &offset) }
    }

    @Test("CIDs parse and print in v0 and v1, and convert between them")
    func cids() throws {
        let v0 = try CID("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
        #expect(v0.version == 0 && v0.codec == .dagPB && v0.bytes.count == 34)
        #expect(v0.description == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
        #expect(v0.v1.description.hasPrefix("bafybei"))
        #expect(try CID(v0.v1.description).multihash == v0.multihash)
        let raw = try CID("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")
        #expect(raw.codec == .raw && raw.bytes.count == 36)
        #expect(try CID(raw.description.uppercased()) == raw)
        #expect(try CID("f" + raw.bytes.map { String(format: "%02x", $0) }.joined()) == raw)
        #expect(try CID(bytes: raw.bytes) == raw)
        let identity = try CID("bafkqaaa")
        #expect(identity.isIdentity && identity.multihash.digest.isEmpty)
    }

    @Test("bad CIDs are refused with the reason: multibase, hash function, version, trailing bytes")
    func badCIDs() {
        #expect(throws: ContentAddressingError(.invalidMultibase, "")) { try CID("Qm0000000000000000000000000000000000000000000l") }
        #expect(throws: ContentAddressingError(.invalidMultibase, "")) { try CID("xyz") }
        #expect(throws: ContentAddressingError(.invalidMultibase, "")) { try CID("b1") }
        // A blake2b-256 (0xb220) multihash: a hash Lightbox does not verify.
        #expect(throws: ContentAddressingError(.unsupportedHash, "")) {
            try CID("bafk2bzacea3x5aqndnpkgi5btxt5m2loq2ydy2lp7b3omjtdxwmttnbzimsnq")
        }
        #expect(throws: ContentAddressingError(.invalidCID, "")) { try CID(bytes: [0x02, 0x55, 0x12, 0x20] + [UInt8](repeating: 1, count: 32)) }
        #expect(throws: ContentAddressingError(.invalidCID, "")) { try CID(bytes: [0x12, 0x20] + [UInt8](repeating: 1, count: 32) + [0]) }
    }

    @Test("a dag-cbor block verifies by its hash but is refused where it must be walked")
    func unsupportedCodec() throws {
        let cbor = CID.v1(.dagCBOR, Multihash.sha256([1, 2, 3]))
        let parsed = try CID(cbor.description)
        #expect(parsed.codec == .dagCBOR)
        #expect(throws: ContentAddressingError(.unsupportedCodec, "")) { try parsed.requireSupportedCodec() }
        let block = try Block(verifying: [1, 2, 3], as: parsed)
        #expect(throws: ContentAddressingError(.unsupportedCodec, "")) { try UnixFSNode(block) }
    }

    @Test("a block is accepted only if its bytes hash to its CID and it is at most 2 MiB")
    func blockVerification() throws {
        let bytes = Array("hello world\n".utf8)
        let cid = CID.v1(.raw, Multihash.sha256(bytes))
        #expect(try Block(verifying: bytes, as: cid).bytes == bytes)
        #expect(throws: ContentAddressingError(.hashMismatch, "")) { try Block(verifying: bytes + [0], as: cid) }
        let big = [UInt8](repeating: 7, count: Block.maxByteCount + 1)
        #expect(throws: ContentAddressingError(.blockTooLarge, "")) { try Block(verifying: big, as: CID.v1(.raw, Multihash.sha256(big))) }
    }

    @Test("DAG-PB nodes decode to what was encoded; data before links and unknown fields are refused")
    func dagPB() throws {
        let child = CID.v0(Multihash.sha256([1]))
        let node = PBNode(links: [PBLink(cid: child, name: "a.jpg", totalSize: 9)], data: UnixFSData(kind: .directory).encoded())
        #expect(try PBNode(decoding: node.encoded()) == node)
        #expect(throws: ContentAddressingError.self) { try PBNode(decoding: [0x0a, 0x00] + node.encoded()) }
        #expect(throws: ContentAddressingError.self) { try PBNode(decoding: [0x1a, 0x00]) }
        #expect(throws: ContentAddressingError(.truncated, "")) { try PBNode(decoding: Array(node.encoded().dropLast())) }
    }
}
