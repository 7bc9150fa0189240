import LightboxCrypto
import Testing

/// Keccak-256, secp256k1, EIP-55 and EIP-712 against the published vectors.
@Suite("Ethereum primitives")
struct EthereumTests {
    @Test("Keccak-256 of '', 'abc' and inputs around the 136-byte rate")
    func keccak() {
        #expect(Keccak256.hash([UInt8]()).hexString == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Keccak256.hash(Array("abc".utf8)).hexString == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        // Not SHA3-256, whose "abc" digest is 3a985da7…
        #expect(!Keccak256.hash(Array("abc".utf8)).hexString.hasPrefix("3a985da7"))
        // Keccak-256 of 135, 136 and 137 bytes differ and are stable (block-boundary padding paths).
        let digests = [135, 136, 137].map { Keccak256.hash([UInt8](repeating: 0x61, count: $0)).hexString }
        #expect(Set(digests).count == 3)
    }

    @Test("key 1 is the generator point, at address 0x7E5F…5Bdf")
    func keyOne() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        #expect(key.publicKey.rawXY.hexString.hasPrefix("79be667e"))
        #expect(key.publicKey.rawXY.hexString.hasSuffix("d4b8"))
        #expect(EthereumAddress(publicKey: key.publicKey).description == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
        #expect(throws: CryptoError.self) { try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CryptoError.self) { try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32)) }
        #expect("\(key)" == "Secp256k1.PrivateKey(redacted)")
    }

    @Test("signing keccak('hello') with key 1 gives the reference r, s and yParity; the signer is recovered")
    func signAndRecover() throws {
        let key = try Secp256k1.PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let digest = Keccak256.hash(Array("hello".utf8))
        let signature = try key.sign(digest: digest)
        #expect(signature.r.hexString.hasPrefix("433ec3d3") && signature.r.hexString.hasSuffix("2ef5"))
        #expect(signature.s.hexString.hasPrefix("557c9158") && signature.s.hexString.hasSuffix("91a4"))
        #expect(signature.recoveryID == 0)
        #expect(try signature.recoverPublicKey(digest: digest) == key.publicKey)
        let other = Keccak256.hash(Array("hellO".utf8))
        #expect(try signature.recoverPublicKey(digest: other) != key.publicKey)
    }

    @Test("EIP-55 checksums are written and checked; a wrong checksum is refused")
    func checksums() throws {
        for text in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            #expect(try EthereumAddress(text.lowercased()).description == text)
            #expect(try EthereumAddress(text).description == text)
        }
        #expect(throws: CryptoError.self) { try EthereumAddress("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") }
        #expect(throws: CryptoError.self) { try EthereumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae") }
    }

    static func mail() throws -> EIP712.TypedData {
        EIP712.TypedData(
            types: [
                "Person": [.init("name", "string"), .init("wallet", "address")],
                "Mail": [.init("from", "Person"), .init("to", "Person"), .init("contents", "string")],
            ],
            primaryType: "Mail",
            domain: [
                "name": .string("Ether Mail"), "version": .string("1"), "chainId": .uint(1),
                "verifyingContract": .address(try EthereumAddress("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")),
            ],
            message: [
                "from": .object(["name": .string("Cow"), "wallet": .address(try EthereumAddress("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))]),
                "to": .object(["name": .string("Bob"), "wallet": .address(try EthereumAddress("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"))]),
                "contents": .string("Hello, Bob!"),
            ])
    }

    @Test("the EIP-712 Mail example: type encoding, domain separator, struct hash, digest and signature")
    func mailExample() throws {
        let data = try Self.mail()
        #expect(try data.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(try data.domainSeparator().hexString == "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        guard case .object(let message) = EIP712.Value.object(data.message) else { return }
        #expect(try data.hashStruct("Mail", message).hexString == "c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        let digest = try data.digest()
        #expect(digest.hexString == "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let cow = try Secp256k1.PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)))
        #expect(EthereumAddress(publicKey: cow.publicKey).description == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
        let signature = try cow.sign(digest: digest)
        #expect(signature.ethereumBytes.last == 28)
        #expect(signature.r.hexString.hasPrefix("4355c47d") && signature.r.hexString.hasSuffix("1c9d"))
        #expect(signature.s.hexString.hasPrefix("07299936") && signature.s.hexString.hasSuffix("1562"))
        let parsed = try Secp256k1.RecoverableSignature(ethereumBytes: signature.ethereumBytes)
        #expect(EthereumAddress(publicKey: try parsed.recoverPublicKey(digest: digest)) == EthereumAddress(publicKey: cow.publicKey))
    }

    @Test("EIP-712 refuses missing fields, wrong value kinds and integers too wide for their type")
    func badTypedData() throws {
        let data = try Self.mail()
        #expect(throws: CryptoError.self) { try data.hashStruct("Mail", ["from": .string("x")]) }
        let narrow = EIP712.TypedData(types: ["T": [.init("n", "uint8")]], primaryType: "T", domain: ["chainId": .uint(1)], message: ["n": .uint(256)])
        #expect(throws: CryptoError.self) { try narrow.digest() }
        let wide = EIP712.TypedData(types: ["T": [.init("n", "uint256")]], primaryType: "T", domain: ["chainId": .uint(1)],
                                    message: ["n": try .uint(decimal: "1000000000000000000000")])
        #expect(try wide.digest().count == 32)
        #expect(throws: CryptoError.self) { try EIP712.Value.uint(decimal: "1" + String(repeating: "0", count: 78)) }
        #expect(throws: CryptoError.self) { try EIP712.Value.uint(decimal: "12a") }
    }

    @Test("a high-s signature is refused (EIP-2), and malformed signature bytes are refused")
    func malleability() throws {
        let key = Secp256k1.PrivateKey.random()
        let digest = Keccak256.hash(Array("x".utf8))
        let signature = try key.sign(digest: digest)
        // s' = n − s recovers the same key in plain ECDSA; Ethereum refuses it.
        let order = [UInt8](hexString: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        var borrow = 0
        var flipped = [UInt8](repeating: 0, count: 32)
        for index in (0..<32).reversed() {
            let difference = Int(order[index]) - Int(signature.s[index]) - borrow
            flipped[index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        let high = Secp256k1.RecoverableSignature(r: signature.r, s: flipped, recoveryID: 1 - signature.recoveryID)
        #expect(throws: CryptoError.self) { try high.recoverPublicKey(digest: digest) }
        #expect(throws: CryptoError.self) { try Secp256k1.RecoverableSignature(ethereumBytes: [UInt8](repeating: 0, count: 64)) }
        #expect(throws: CryptoError.self) { try Secp256k1.RecoverableSignature(ethereumBytes: signature.r + signature.s + [29]) }
    }
}
