import Foundation
import LightboxCrypto
import Testing

/// Web3 Secret Storage v3, against the specification's two test vectors (password "testpassword").
@Suite("Web3 keystores")
struct Web3KeystoreTests {
    static let privateKey = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"

    static let scrypt = #"""
        {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"83dbcc02d8ccb40e466191a123791e0e"},
        "ciphertext":"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c","kdf":"scrypt",
        "kdfparams":{"dklen":32,"n":262144,"r":1,"p":8,"salt":"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
        "mac":"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}
        """#

    static let pbkdf2 = #"""
        {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
        "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
        "kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
        "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}
        """#

    static func keystore(_ json: String) throws -> Web3Keystore {
        try JSONDecoder().decode(Web3Keystore.self, from: Data(json.utf8))
    }

    @Test("the scrypt and PBKDF2 vectors open with 'testpassword' to the reference key, and not with another")
    func vectors() throws {
        for json in [Self.scrypt, Self.pbkdf2] {
            let keystore = try Self.keystore(json)
            #expect(try keystore.decrypt(password: "testpassword").bytes.hexString == Self.privateKey)
            #expect { try keystore.decrypt(password: "testpassword!") } throws: { ($0 as? CryptoError)?.code == .decryptionFailed }
        }
        let address = EthereumAddress(publicKey: try Self.keystore(Self.scrypt).decrypt(password: "testpassword").publicKey)
        #expect(address.description.lowercased() == "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b")
    }

    @Test("a key encrypted here opens here and carries its address; hostile parameters are refused")
    func roundTripAndLimits() throws {
        let key = Secp256k1.PrivateKey.random()
        let keystore = try Web3Keystore.encrypt(key, password: "correct horse", scryptN: 1 << 12)
        let reread = try JSONDecoder().decode(Web3Keystore.self, from: JSONEncoder().encode(keystore))
        #expect(try reread.decrypt(password: "correct horse") == key)
        #expect(reread.address == EthereumAddress(publicKey: key.publicKey).bytes.hexString)
        var greedy = reread
        greedy.crypto.kdfparams.n = 1 << 30
        #expect { try greedy.decrypt(password: "correct horse") } throws: { ($0 as? CryptoError)?.code == .invalidInput }
        var unknown = reread
        unknown.crypto.kdf = "argon2"
        #expect { try unknown.decrypt(password: "correct horse") } throws: { ($0 as? CryptoError)?.code == .invalidInput }
    }
}
