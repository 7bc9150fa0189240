import Ledger
import LightboxCrypto
import Testing

/// RLP, the contract ABI and EIP-1559 transactions against the specifications' vectors, a reference encoder's
/// output (eth-abi, eth-account) and a transaction go-ethereum signed.
@Suite("EVM encoding")
struct EVMEncodingTests {
    private func hex(_ text: String) -> [UInt8] { [UInt8](hexString: text)! }

    @Test("RLP encodes the specification's examples")
    func rlpVectors() throws {
        let cases: [(RLP, String)] = [
            (.bytes(Array("dog".utf8)), "83646f67"),
            (.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]), "c88363617483646f67"),
            (.bytes([]), "80"),
            (.list([]), "c0"),
            (.uint(UInt64(0)), "80"),
            (.bytes([0]), "00"),
            (.uint(UInt64(15)), "0f"),
            (.uint(UInt64(1024)), "820400"),
            (.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]), "c7c0c1c0c3c0c1c0"),
            (.bytes(Array("Lorem ipsum dolor sit amet, consectetur adipisicing elit".utf8)),
             "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974"),
        ]
        for (item, expected) in cases {
            #expect(item.encoded.hexString == expected)
            #expect(try RLP(decoding: hex(expected)) == item)
        }
        #expect(try RLP(decoding: hex("820400")).integer(as: UInt64.self) == 1024)
    }

    @Test("RLP decoding refuses non-canonical and truncated input with a clear error")
    func rlpStrict() {
        let refusals = [
            ("8100", "single byte below 0x80"),
            ("b8054142434445", "short form"),
            ("83646f", "past the end"),
            ("83646f6700", "follow the item"),
            ("c4836361", "past the end"),
            ("", "ends"),
        ]
        for (input, phrase) in refusals {
            do {
                _ = try RLP(decoding: hex(input))
                Issue.record("\(input) decoded")
            } catch {
                #expect(error.code == .encoding)
                #expect(error.message.contains(phrase), "\(error.message)")
            }
        }
        #expect(throws: EVMError.self) { try RLP(decoding: self.hex("820004")).integer(as: UInt64.self) }
        #expect(throws: EVMError.self) { try RLP(decoding: self.hex("89010000000000000000")).integer(as: UInt64.self) }
    }

    @Test("ABI: the specification's baz and sam examples, selectors included")
    func abiSpecExamples() throws {
        #expect(ABI.selector("baz(uint32,bool)").hexString == "cdcd77c0")
        let baz = try ABI.encode([.uint(69), .bool(true)], as: [.uint(32), .bool])
        #expect(baz.hexString == ABIWords.words([0x45, 1]))
        #expect(ABI.selector("sam(bytes,bool,uint256[])").hexString == "a5643bf2")
        let sam = try ABI.encode([.bytes(Array("dave".utf8)), .bool(true), .array([.uint(1), .uint(2), .uint(3)])],
                                 as: [.bytes, .bool, .array(.uint(256))])
        let dave = "6461766500000000000000000000000000000000000000000000000000000000"
        #expect(sam.hexString == ABIWords.words([0x60, 1, 0xa0, 4]) + dave + ABIWords.words([3, 1, 2, 3]))
        #expect(try ABI.decode([.bytes, .bool, .array(.uint(256))], from: sam)
            == [.bytes(Array("dave".utf8)), .bool(true), .array([.uint(1), .uint(2), .uint(3)])])
    }

    @Test("ABI: nested dynamic tuples, arrays, strings, negative ints and bytesN match eth-abi byte for byte")
    func abiAgainstReference() throws {
        let types: [ABIType] = [.uint(64), .array(.tuple([.address, .bytes])), .string, .int(8), .fixedBytes(3), .fixedArray(.bool, 2)]
        let values: [ABIValue] = [
            .uint(7),
            .array([.tuple([.address(try EthereumAddress("0x" + String(repeating: "ab", count: 20))), .bytes([1, 2])]),
                    .tuple([.address(try EthereumAddress("0x" + String(repeating: "cd", count: 20))), .bytes([])])]),
            .string("Lightbox ✓"), .int(-5), .fixedBytes(Array("abc".utf8)), .array([.bool(true), .bool(false)]),
        ]
        // eth_abi.encode(['uint64','(address,bytes)[]','string','int8','bytes3','bool[2]'], …)
        let reference = "0000000000000000000000000000000000000000000000000000000000000007" +
            "00000000000000000000000000000000000000000000000000000000000000e0" +
            "0000000000000000000000000000000000000000000000000000000000000220" +
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb" +
            "6162630000000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "00000000000000000000000000000000000000000000000000000000000000c0" +
            "000000000000000000000000abababababababababababababababababababab" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "0102000000000000000000000000000000000000000000000000000000000000" +
            "000000000000000000000000cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000000" +
            "000000000000000000000000000000000000000000000000000000000000000c" +
            "4c69676874626f7820e29c930000000000000000000000000000000000000000"
        let encoded = try ABI.encode(values, as: types)
        #expect(encoded.hexString == reference)
        #expect(try ABI.decode(types, from: encoded) == values)
        #expect(try ABI.encode([.int(-1)], as: [.int(256)]).hexString == String(repeating: "f", count: 64))
    }

    @Test("ABI: out-of-range values, dirty padding and offsets past the data are refused")
    func abiRefusals() throws {
        #expect(throws: EVMError.self) { try ABI.encode([.uint(256)], as: [.uint(8)]) }
        #expect(throws: EVMError.self) { try ABI.encode([.int(-129)], as: [.int(8)]) }
        #expect(throws: EVMError.self) { try ABI.encode([.fixedBytes([1, 2])], as: [.fixedBytes(3)]) }
        #expect(throws: EVMError.self) { try ABI.encode([.bool(true)], as: [.address]) }
        let dirtyAddress = hex("01" + String(repeating: "00", count: 11) + String(repeating: "ab", count: 20))
        #expect(throws: EVMError.self) { try ABI.decode([.address], from: dirtyAddress) }
        #expect(throws: EVMError.self) { try ABI.decode([.bool], from: self.hex(ABIWords.words([2]))) }
        #expect(throws: EVMError.self) { try ABI.decode([.uint(8)], from: self.hex(ABIWords.words([256]))) }
        #expect(throws: EVMError.self) { try ABI.decode([.string], from: self.hex(ABIWords.words([0x1000]))) }
        #expect(throws: EVMError.self) { try ABI.decode([.bytes], from: self.hex(ABIWords.words([0x20, 1000]))) }
        #expect(throws: EVMError.self) { try ABI.decode([.array(.uint(256))], from: self.hex(ABIWords.words([0x20, 1 << 40]))) }
        #expect(throws: EVMError.self) { try ABI.decode([.uint(256)], from: [1, 2, 3]) }
        // A uint256 above 128 bits is refused rather than truncated.
        #expect(throws: EVMError.self) { try ABI.decode([.uint(256)], from: [UInt8](repeating: 0xff, count: 32)) }
    }

    @Test("ABI types parse from a JSON ABI's names, tuples from their components")
    func abiTypeNames() throws {
        #expect(try ABIType(parsing: "uint256") == .uint(256))
        #expect(try ABIType(parsing: "bytes32[2][]") == .array(.fixedArray(.fixedBytes(32), 2)))
        #expect(try ABIType(parsing: "tuple[]", components: [.address, .uint(64)]).description == "(address,uint64)[]")
        for bad in ["uint7", "uint264", "bytes33", "bytes0", "int", "strin", "uint256[0]", "tuple"] where bad != "int" {
            #expect(throws: EVMError.self, "\(bad)") { try ABIType(parsing: bad) }
        }
    }

    @Test("EIP-1559: the reference transaction from key 1 (raw bytes and hash as eth-account gives them)")
    func eip1559Reference() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let transaction = EIP1559Transaction(
            chainID: 1, nonce: 0, maxPriorityFeePerGas: 2_000_000_000, maxFeePerGas: 100_000_000_000, gasLimit: 21_000,
            to: try EthereumAddress("0x" + String(repeating: "35", count: 20)), value: 1_000_000_000_000_000_000)
        let signed = transaction.signed(by: key)
        #expect(signed.raw.hexString == "02f8730180847735940085174876e800825208943535353535353535353535353535353535353535880de0b6b3a764000080c080a094425806277b2560c3c32c34e58c494dc261d1d52ebaa43206e79e5e61c2338ea04699089dd6bf16f811e2335af5bf132e9de11b7ac696fb8c4567e5c7bc52076c")
        #expect(signed.hash.hexString == "562342067ef3f3ee26eaf49003fa34f09b803feaa5afa1536841d00ee9c5766a")
        #expect(signed.transaction.signingHash.hexString.hasPrefix("0b90ec27"))
        let decoded = try EIP1559Transaction.decode(raw: signed.raw)
        #expect(decoded.transaction == transaction && decoded.from == signed.from)
    }

    @Test("EIP-1559: a creation with an access list matches eth-account, and its contract address is derived")
    func eip1559CreationWithAccessList() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
        let transaction = EIP1559Transaction(
            chainID: 31337, nonce: 7, maxPriorityFeePerGas: 1, maxFeePerGas: 3_000_000_000, gasLimit: 500_000, to: nil,
            data: hex("6080604052"),
            accessList: [(try EthereumAddress("0x" + String(repeating: "11", count: 20)), [[UInt8](repeating: 0, count: 31) + [1]])])
        let signed = transaction.signed(by: key)
        #expect(signed.raw.hexString == "02f893827a69070184b2d05e008307a1208080856080604052f838f7941111111111111111111111111111111111111111e1a0000000000000000000000000000000000000000000000000000000000000000101a081ecc1ddd38d91c9d2fe9583ad1abc6ef609064712503736be2097fa78d08fe1a037476e98ac6924bf5ffcb6aa46f42b721e196cb043bcfb0ae81ea2e968b1a8f1")
        #expect(signed.hash.hexString == "d560009676b8fda106ee616267a09cfb42d411b49292ba7cd8ed86b50861067e")
        #expect(signed.from.description == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
        #expect(try EIP1559Transaction.decode(raw: signed.raw).transaction == transaction)
        #expect(signed.createdContractAddress != nil)
    }

    @Test("EIP-1559: go-ethereum's signed access-list transaction (evm t8n testdata 9) is reproduced: same v, r and s")
    func gethSignedTransaction() throws {
        let key = try Secp256k1.PrivateKey(bytes: hex("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"))
        let contract = try EthereumAddress("0x000000000000000000000000000000000000aaaa")
        // The file labels the fees the other way round (maxFeePerGas 0x2, maxPriorityFeePerGas 0x12A05F200), but its
        // signature is over a tip of 2 wei under a 5 gwei cap: eth-account recovers the same r, s and v only so.
        let transaction = EIP1559Transaction(
            chainID: 1, nonce: 0, maxPriorityFeePerGas: 2, maxFeePerGas: 0x12A05F200, gasLimit: 0x4ef00, to: contract,
            accessList: [(contract, [[UInt8](repeating: 0, count: 32)])])
        let signature = try key.sign(digest: transaction.signingHash)
        #expect(signature.recoveryID == 1)
        #expect(signature.r.hexString == "d77c8ff989789b5d9d99254cbae2e2996dc7e6215cba4d55254c14e6d6b9f314")
        #expect(signature.s.hexString == "5cc021481e7e6bb444bbb87ab32071e8fd0a8d1e125c7bb352d2879bd7ff5c0a")
        let signed = transaction.signed(by: key)
        #expect(try EIP1559Transaction.decode(raw: signed.raw).from == EthereumAddress(publicKey: key.publicKey))
    }

    @Test("a transaction with a tampered byte or another type is refused, never mis-attributed silently")
    func eip1559DecodeRefusals() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let signed = EIP1559Transaction(chainID: 1, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 2, gasLimit: 21_000,
                                        to: nil).signed(by: key)
        var legacy = signed.raw
        legacy[0] = 0x01
        #expect(throws: EVMError.self) { try EIP1559Transaction.decode(raw: legacy) }
        var tampered = signed.raw
        tampered[4] ^= 0x01  // the nonce byte: the signature now recovers another sender, or none
        let recovered = try? EIP1559Transaction.decode(raw: tampered)
        #expect(recovered?.from != signed.from)
    }
}

/// Hex of 32-byte words holding small integers, for writing expected ABI encodings.
enum ABIWords {
    static func words(_ values: [UInt64]) -> String {
        values.map { String(repeating: "0", count: 48) + String(String($0, radix: 16)).leftPadding(to: 16) }.joined()
    }
}

extension String {
    fileprivate func leftPadding(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
