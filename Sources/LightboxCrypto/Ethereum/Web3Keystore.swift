internal import CCrypto
internal import CSodium
import Foundation

/// An Ethereum Web3 Secret Storage keystore (version 3): a secp256k1 private key encrypted with AES-128-CTR under
/// a key derived from a password by scrypt (or PBKDF2-HMAC-SHA256, read only), with a Keccak-256 MAC.
///
/// The JSON is the one geth, MetaMask and other wallets write, so keys can be brought in and taken out.
public struct Web3Keystore: Codable, Sendable, Equatable {
    public struct Crypto: Codable, Sendable, Equatable {
        public var cipher: String
        public var cipherparams: CipherParams
        public var ciphertext: String
        public var kdf: String
        public var kdfparams: KDFParams
        public var mac: String
    }

    public struct CipherParams: Codable, Sendable, Equatable {
        public var iv: String
    }

    /// scrypt (`n`, `r`, `p`) or pbkdf2 (`c`, `prf`) parameters.
    public struct KDFParams: Codable, Sendable, Equatable {
        public var dklen: Int
        public var salt: String
        public var n: Int?
        public var r: Int?
        public var p: Int?
        public var c: Int?
        public var prf: String?
    }

    public var version: Int
    public var id: String
    /// The account address, lower-case hex without 0x (optional in the format).
    public var address: String?
    public var crypto: Crypto

    /// Largest scrypt cost accepted when reading (2²⁰, 1 GiB of memory at r = 8), so a hostile file cannot exhaust memory.
    public static let maxScryptMemory = 1 << 30

    /// Encrypts `key` under `password` with scrypt (n = 2¹⁸, r = 8, p = 1: geth's standard setting).
    public static func encrypt(_ key: Secp256k1.PrivateKey, password: String, scryptN: Int = 1 << 18) throws -> Web3Keystore {
        let salt = SecureRandom.bytes(count: 32)
        let iv = SecureRandom.bytes(count: 16)
        let params = KDFParams(dklen: 32, salt: salt.hexString, n: scryptN, r: 8, p: 1, c: nil, prf: nil)
        let derived = try derive(password: password, kdf: "scrypt", params: params)
        let ciphertext = try aes128CTR(key: Array(derived[0..<16]), iv: iv, input: key.bytes)
        let mac = Keccak256.hash(Array(derived[16..<32]) + ciphertext)
        let address = EthereumAddress(publicKey: key.publicKey).bytes.hexString
        return Web3Keystore(
            version: 3, id: UUID().uuidString.lowercased(), address: address,
            crypto: Crypto(
                cipher: "aes-128-ctr", cipherparams: CipherParams(iv: iv.hexString), ciphertext: ciphertext.hexString,
                kdf: "scrypt", kdfparams: params, mac: mac.hexString))
    }

    /// Decrypts the private key.
    /// - Throws: ``CryptoError`` `.decryptionFailed` for a wrong password (the MAC does not match), `.invalidInput`
    ///   for an unsupported version, cipher or KDF, or parameters out of range.
    public func decrypt(password: String) throws -> Secp256k1.PrivateKey {
        guard version == 3 else { throw CryptoError(.invalidInput, "keystore version \(version) is not supported; expected 3") }
        guard crypto.cipher == "aes-128-ctr" else {
            throw CryptoError(.invalidInput, "keystore cipher \(crypto.cipher) is not supported; expected aes-128-ctr")
        }
        guard let iv = [UInt8](hexString: crypto.cipherparams.iv), iv.count == 16,
              let ciphertext = [UInt8](hexString: crypto.ciphertext), ciphertext.count == 32,
              let mac = [UInt8](hexString: crypto.mac), mac.count == 32
        else { throw CryptoError(.invalidInput, "the keystore's iv, ciphertext or mac is not valid hex of the right length") }
        let derived = try Self.derive(password: password, kdf: crypto.kdf, params: crypto.kdfparams)
        guard ConstantTime.equal(Keccak256.hash(Array(derived[16..<32]) + ciphertext), mac) else {
            throw CryptoError(.decryptionFailed, "the password does not open this keystore")
        }
        let key = try Secp256k1.PrivateKey(bytes: try Self.aes128CTR(key: Array(derived[0..<16]), iv: iv, input: ciphertext))
        if let address, let stated = [UInt8](hexString: address), stated != EthereumAddress(publicKey: key.publicKey).bytes {
            throw CryptoError(.invalidInput, "the keystore's key does not belong to its stated address \(address)")
        }
        return key
    }

    static func derive(password: String, kdf: String, params: KDFParams) throws -> [UInt8] {
        guard params.dklen == 32, let salt = [UInt8](hexString: params.salt), !salt.isEmpty else {
            throw CryptoError(.invalidInput, "keystore KDF parameters need dklen 32 and a hex salt")
        }
        let password = Array(password.utf8)
        var out = [UInt8](repeating: 0, count: 32)
        switch kdf {
        case "scrypt":
            guard let n = params.n, let r = params.r, let p = params.p, n > 1, n & (n - 1) == 0, r > 0, p > 0,
                  128 * r * n <= maxScryptMemory, r * p < 1 << 20
            else { throw CryptoError(.invalidInput, "keystore scrypt parameters are missing or out of range") }
            Sodium.ensureInitialised()
            guard crypto_pwhash_scryptsalsa208sha256_ll(
                password, password.count, salt, salt.count, UInt64(n), UInt32(r), UInt32(p), &out, out.count) == 0
            else { throw CryptoError(.invalidInput, "scrypt failed (not enough memory for n = \(n), r = \(r)?)") }
        case "pbkdf2":
            guard params.prf == "hmac-sha256", let c = params.c, (1...10_000_000).contains(c) else {
                throw CryptoError(.invalidInput, "keystore pbkdf2 parameters must use hmac-sha256 and 1 to 10,000,000 rounds")
            }
            let ok = password.withUnsafeBufferPointer { pw in
                pw.withMemoryRebound(to: CChar.self) { chars in
                    PKCS5_PBKDF2_HMAC(chars.baseAddress, Int32(password.count), salt, Int32(salt.count), Int32(c), EVP_sha256(), 32, &out)
                }
            }
            guard ok == 1 else { throw CryptoError(.invalidInput, "PBKDF2 failed") }
        default:
            throw CryptoError(.invalidInput, "keystore KDF \(kdf) is not supported; expected scrypt or pbkdf2")
        }
        return out
    }

    static func aes128CTR(key: [UInt8], iv: [UInt8], input: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError(.invalidInput, "cannot create a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        var final: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, key, iv) == 1,
              EVP_EncryptUpdate(context, &output, &written, input, Int32(input.count)) == 1,
              EVP_EncryptFinal_ex(context, &output[Int(written)], &final) == 1
        else { throw CryptoError(.invalidInput, "AES-128-CTR failed") }
        return Array(output[0..<Int(written + final)])
    }
}
