import Foundation

extension Secp256k1.PrivateKey {
    /// Reads a key from a file holding its 32 bytes as hex (64 digits, `0x` optional, surrounding whitespace ignored),
    /// as `keys import --private-key-file`, deployer key files and the development chain's key file give it.
    /// - Throws: ``CryptoError`` `.invalidInput` naming the file and what is wrong with it.
    public init(hexFile path: String) throws(CryptoError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw CryptoError(.invalidInput, "cannot read \(path)") }
        var hex = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        guard let bytes = [UInt8](hexString: hex), let key = try? Secp256k1.PrivateKey(bytes: bytes) else {
            throw CryptoError(.invalidInput, "\(path) does not hold a secp256k1 private key as 64 hex digits")
        }
        self = key
    }
}
