import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Node

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Accounts: Ethereum keys in Web3 Secret Storage (v3) keystores, and their X25519 keys for receiving datasets.",
        discussion: """
            Keystores are the files geth, Foundry and MetaMask import and export. An account's X25519 key (sealed \
            dataset keys are sent to it) is derived from its Ethereum key, so the keystore is all there is to keep.
            """,
        subcommands: [New.self, Import.self, List.self, Show.self]
    )

    static func print(_ entry: LocalKeystore.Entry, json: Bool) {
        if json {
            let object: [String: String] = ["name": entry.name, "address": entry.address.description, "x25519": entry.x25519 ?? "", "path": entry.path]
            Swift.print(String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            Swift.print("\(entry.name)  \(entry.address)  x25519 \(entry.x25519 ?? "?")")
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new", abstract: "Create an account key and its keystore.")
        @OptionGroup var settingsOptions: SettingsOptions
        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "The key's name.") var name: String
        @Flag(help: "Use scrypt N=4096 instead of 262144: fast, for development and tests only.") var lightKDF = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let store = keyOptions.store(try settingsOptions.load())
                try LocalKeystore.validName(name)
                let entry = try store.save(AccountKeys(.random()), name: name, passphrase: try keyOptions.passphrase(confirming: true), scryptN: lightKDF ? 1 << 12 : 1 << 18)
                KeysCommand.print(entry, json: json)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a key from a v3 keystore file or a file holding the private key in hex.",
            discussion: "A keystore is opened with its own passphrase (--source-passphrase-file, or the same passphrase) and saved under the keystore passphrase.")
        @OptionGroup var settingsOptions: SettingsOptions
        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "The key's name.") var name: String
        @Option(help: "A Web3 Secret Storage (v3) keystore file.") var keystoreFile: String?
        @Option(help: "The passphrase file of --keystore-file, if it differs.") var sourcePassphraseFile: String?
        @Option(help: "A file holding the 32-byte private key in hex.") var privateKeyFile: String?
        @Flag(help: "Use scrypt N=4096: fast, for development and tests only.") var lightKDF = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let store = keyOptions.store(try settingsOptions.load())
                try LocalKeystore.validName(name)
                let key: Secp256k1.PrivateKey
                switch (keystoreFile, privateKeyFile) {
                case (let path?, nil):
                    guard let data = FileManager.default.contents(atPath: path), let keystore = try? JSONDecoder().decode(Web3Keystore.self, from: data) else {
                        throw CommandError("\(path) is not a Web3 Secret Storage (v3) keystore")
                    }
                    var source = keyOptions
                    if let sourcePassphraseFile { source.passphraseFile = sourcePassphraseFile }
                    do {
                        key = try keystore.decrypt(password: try source.passphrase())
                    } catch let error as CommandError {
                        throw error
                    } catch {
                        throw CommandError("cannot open \(path): \(CommandFailure.message(for: error))")
                    }
                case (nil, let path?):
                    key = try Secp256k1.PrivateKey(hexFile: path)
                default:
                    throw CommandError("give exactly one of --keystore-file and --private-key-file")
                }
                let entry = try store.save(AccountKeys(key), name: name, passphrase: try keyOptions.passphrase(confirming: true), scryptN: lightKDF ? 1 << 12 : 1 << 18)
                KeysCommand.print(entry, json: json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys: name, address, X25519 key.")
        @OptionGroup var settingsOptions: SettingsOptions
        @OptionGroup var keyOptions: KeyOptions
        @Flag(help: "Print JSON lines.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                for entry in try keyOptions.store(try settingsOptions.load()).list() { KeysCommand.print(entry, json: json) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one key: address, X25519 key, keystore file.",
            discussion: "With --check, unlocks it and checks that the X25519 key is the one derived from the account key.")
        @OptionGroup var settingsOptions: SettingsOptions
        @OptionGroup var keyOptions: KeyOptions
        @Argument(help: "The key's name.") var positionalName: String?
        @Option(name: .customLong("name"), help: "The key's name (as `keys new --name` takes it), instead of the argument.") var optionName: String?
        @Flag(help: "Unlock the key and check it.") var check = false

        func validate() throws {
            guard (positionalName == nil) != (optionName == nil) else {
                throw ValidationError(positionalName == nil ? "name the key: `lightbox keys show NAME` or `--name NAME`" : "name the key once, as an argument or with --name")
            }
        }

        var name: String { positionalName ?? optionName ?? "" }
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let store = keyOptions.store(try settingsOptions.load())
                let entry = try store.entry(name)
                if check {
                    let keys = try store.unlock(name, passphrase: try keyOptions.passphrase())
                    guard keys.address == entry.address, keys.sealing.publicKey.bytes.hexString == entry.x25519 else {
                        throw CommandError("the keystore \(entry.path) does not fit its recorded address or X25519 key")
                    }
                }
                KeysCommand.print(entry, json: json)
                if !json { Swift.print("  keystore \(entry.path)") }
            }
        }
    }
}
