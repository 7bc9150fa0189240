import CSodium
import ContentAddressing
import Foundation
import LightboxCrypto

/// Kubo's deterministic test data (`testutils.DeterministicRandomReaderBytes`): the ChaCha20 keystream with key
/// sha256(seed), a 12-byte zero nonce and block counter 0.
enum KuboTestData {
    static func bytes(_ count: Int, seed: String) -> [UInt8] {
        let key = SHA256.hash(Array(seed.utf8))
        let nonce = [UInt8](repeating: 0, count: 12)
        var out = [UInt8](repeating: 0, count: count)
        _ = sodium_init()
        if count > 0 { crypto_stream_chacha20_ietf(&out, UInt64(count), nonce, key) }
        return out
    }

    /// Kubo's `createDeterministicFiles`: names drawn from one 1 MiB keystream over a 39-letter alphabet,
    /// every file containing "x".
    static func hamtDirectory(at path: String, files: Int, nameLength: Int, lastNameLength: Int, seed: String) throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz01234567890-_")
        let stream = bytes(1 << 20, seed: seed)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var offset = 0
        for index in 0..<files {
            let length = index == files - 1 ? lastNameLength : nameLength
            let name = String(stream[offset..<offset + length].map { alphabet[Int($0) % alphabet.count] })
            offset += length
            try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        }
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-ca-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return [UInt8](try! Data(contentsOf: url))
    }
}
