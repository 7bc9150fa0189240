import LightboxCrypto
import Testing

@Suite("Sealed boxes, key derivation and key wrapping")
struct KeyTests {
    @Test("a sealed box opens only for its recipient and only unaltered")
    func sealedBox() throws {
        let buyer = X25519.KeyPair()
        let contentKey = SymmetricKey.random()
        let sealed = SealedBox.seal(contentKey.bytes, to: buyer.publicKey)
        #expect(sealed.count == SymmetricKey.byteCount + SealedBox.overhead)
        #expect(try SealedBox.open(sealed, with: buyer) == contentKey.bytes)
        #expect(throws: CryptoError.self) { try SealedBox.open(sealed, with: X25519.KeyPair()) }
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            #expect(throws: CryptoError.self) { try SealedBox.open(altered, with: buyer) }
        }
        #expect(throws: CryptoError.self) { try SealedBox.open([1, 2, 3], with: buyer) }
    }

    @Test("an X25519 key pair rebuilt from its secret key has the same public key")
    func x25519Rebuild() throws {
        let pair = X25519.KeyPair()
        #expect(try X25519.KeyPair(secretKey: pair.secretKey).publicKey == pair.publicKey)
        #expect(!"\(pair)".contains(pair.secretKey.hexString))
    }

    /// Expected subkeys computed independently with Python's hashlib.blake2b
    /// (key = master, salt = id as 8 little-endian bytes + 8 zeros, person = context + 8 zeros).
    @Test("key derivation matches BLAKE2b computed independently")
    func derivation() throws {
        let master = try SymmetricKey(bytes: Array(0..<32))
        let expected: [UInt64: String] = [
            0: "c13fcc2e6cd0cd0f82d93b163a5696c5105378f8c629d36baf3ae0239de9c280",
            1: "13fea52bb8cba063f3ed93de27ed07e06d8c6367474e6ae4c9282913ac3c3a03",
            7: "cd49ce518f09d9c0c8b41cc9e199da9b93447895af2405b7a003226c848991ce",
        ]
        for (id, hex) in expected {
            #expect(try KeyDerivation.deriveKey(from: master, id: id, context: "KDF test").hexString == hex)
        }
        #expect(throws: CryptoError.self) { try KeyDerivation.deriveKey(from: master, id: 0, context: "short") }
        #expect(throws: CryptoError.self) {
            try KeyDerivation.deriveKey(from: master, id: 0, context: "KDF test", byteCount: 8)
        }
    }

    @Test("a wrapped key opens only with the same master key and associated data")
    func keyWrap() throws {
        let master = SymmetricKey.random()
        let contentKey = SymmetricKey.random()
        let binding = Array("dataset:42".utf8)
        let wrapped = KeyWrap.wrap(contentKey, with: master, associatedData: binding)
        #expect(wrapped.count == KeyWrap.wrappedByteCount)
        #expect(try KeyWrap.unwrap(wrapped, with: master, associatedData: binding) == contentKey)
        #expect(KeyWrap.wrap(contentKey, with: master, associatedData: binding) != wrapped, "nonces must be fresh")
        #expect(throws: CryptoError.self) { try KeyWrap.unwrap(wrapped, with: .random(), associatedData: binding) }
        #expect(throws: CryptoError.self) {
            try KeyWrap.unwrap(wrapped, with: master, associatedData: Array("dataset:43".utf8))
        }
        var altered = wrapped
        altered[30] ^= 0x04
        #expect(throws: CryptoError.self) { try KeyWrap.unwrap(altered, with: master, associatedData: binding) }
        #expect(throws: CryptoError.self) { try KeyWrap.unwrap([1], with: master, associatedData: binding) }
    }

    @Test("random bytes differ between calls and hex round-trips")
    func randomAndHex() {
        let a = SecureRandom.bytes(count: 32)
        let b = SecureRandom.bytes(count: 32)
        #expect(a != b)
        #expect([UInt8](hexString: a.hexString) == a)
        #expect([UInt8](hexString: "0xABcd") == [0xab, 0xcd])
        #expect([UInt8](hexString: "abc") == nil)
        #expect([UInt8](hexString: "zz") == nil)
        #expect(SecureRandom.uniform(10) < 10)
        #expect(!CryptoLibraries.sodiumVersion.isEmpty)
    }
}
