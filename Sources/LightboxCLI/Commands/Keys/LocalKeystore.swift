import Foundation
import Ledger
import LightboxCrypto
import Node

/// The accounts' keystores: one Web3 Secret Storage (v3) file per account, `<name>.json` in the keystore
/// directory (`<data-dir>/keystore` unless `--keystore` says otherwise). Each file also records the account's
/// X25519 public key under `x25519`, which Ethereum tools ignore.
struct LocalKeystore {
    let directory: String

    struct Entry {
        let name: String
        let address: EthereumAddress
        let x25519: String?
        let path: String
    }

    static func validName(_ name: String) throws(CommandError) {
        guard !name.isEmpty, name.count <= 64, name.utf8.allSatisfy({ $0 == 0x2d || $0 == 0x2e || $0 == 0x5f || (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) }),
              !name.hasPrefix(".")
        else {
            throw CommandError("a key name is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'; '\(name.prefix(70))' is not")
        }
    }

    func path(_ name: String) -> String { directory + "/" + name + ".json" }

    /// Writes a new keystore file; refuses to replace one.
    func save(_ keys: AccountKeys, name: String, passphrase: String, scryptN: Int) throws -> Entry {
        try Self.validName(name)
        let path = path(name)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CommandError("a key named \(name) exists already (\(path)); choose another name")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let keystore = try Web3Keystore.encrypt(keys.signing, password: passphrase, scryptN: scryptN)
        var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(keystore)) as! [String: Any]
        object["x25519"] = keys.sealing.publicKey.bytes.hexString
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        // Written whole or not at all, readable by the owner only.
        let temporary = directory + "/.\(name).json.partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot write to the keystore directory \(directory)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return Entry(name: name, address: keys.address, x25519: keys.sealing.publicKey.bytes.hexString, path: path)
    }

    func list() throws -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return try names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted().map(entry)
    }

    func entry(_ name: String) throws -> Entry {
        let (_, entry) = try read(name)
        return entry
    }

    /// Decrypts an account's key.
    func unlock(_ name: String, passphrase: String) throws -> AccountKeys {
        let (keystore, _) = try read(name)
        do {
            return AccountKeys(try keystore.decrypt(password: passphrase))
        } catch {
            throw CommandError("cannot unlock key \(name): \(CommandFailure.message(for: error))")
        }
    }

    private func read(_ name: String) throws -> (Web3Keystore, Entry) {
        try Self.validName(name)
        let path = path(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("no key named \(name) in \(directory); `lightbox keys list` shows the keys there are")
        }
        guard let keystore = try? JSONDecoder().decode(Web3Keystore.self, from: data),
              let address = keystore.address.flatMap({ try? EthereumAddress("0x" + $0) })
        else {
            throw CommandError("\(path) is not a Web3 Secret Storage (v3) keystore with an address")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (keystore, Entry(name: name, address: address, x25519: object?["x25519"] as? String, path: path))
    }
}
