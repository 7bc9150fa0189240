import LightboxCrypto
import Testing

@Suite("Ed25519")
struct Ed25519Tests {
    /// RFC 8032 section 7.1, tests 1 and 2.
    static let vectors: [(seed: String, publicKey: String, message: String, signature: String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    @Test("matches the RFC 8032 vectors", arguments: 0..<2)
    func rfc8032(index: Int) throws {
        let vector = Self.vectors[index]
        let key = try Ed25519.PrivateKey(seed: [UInt8](hexString: vector.seed)!)
        #expect(key.publicKey.bytes.hexString == vector.publicKey)
        let message = [UInt8](hexString: vector.message)!
        let signature = key.signature(for: message)
        #expect(signature.hexString == vector.signature)
        #expect(key.publicKey.isValidSignature(signature, for: message))
    }

    @Test("refuses an altered message, signature or key")
    func tampering() throws {
        let key = Ed25519.PrivateKey()
        let message = Array("attestation".utf8)
        var signature = key.signature(for: message)
        try key.publicKey.verify(signature, for: message)
        #expect(!key.publicKey.isValidSignature(signature, for: Array("attestatioN".utf8)))
        #expect(!Ed25519.PrivateKey().publicKey.isValidSignature(signature, for: message))
        signature[10] ^= 0x01
        #expect(throws: CryptoError.self) { try key.publicKey.verify(signature, for: message) }
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
    }

    @Test("rejects keys and seeds of the wrong length")
    func lengths() {
        #expect(throws: CryptoError.self) { try Ed25519.PrivateKey(seed: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(bytes: [UInt8](repeating: 0, count: 31)) }
    }

    @Test("never prints private key material")
    func redaction() {
        let key = Ed25519.PrivateKey()
        #expect(!"\(key)".contains(key.seed.hexString))
        #expect(!String(reflecting: key).contains(key.seed.hexString))
        let symmetric = SymmetricKey.random()
        #expect("\(symmetric)" == "SymmetricKey(redacted)")
    }
}
