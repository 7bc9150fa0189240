import ArgumentParser
import Foundation
import Node

/// Where the keystores are and how their passphrase is given.
struct KeyOptions: ParsableArguments {
    @Option(help: "The keystore directory (default: <data-dir>/keystore).")
    var keystore: String?

    @Option(help: "A file holding the keystore passphrase (its first line). Or set LIGHTBOX_KEY_PASSPHRASE; on a terminal you are asked.")
    var passphraseFile: String?

    func store(_ settings: Settings) -> LocalKeystore {
        LocalKeystore(directory: keystore ?? ProcessInfo.processInfo.environment["LIGHTBOX_KEYSTORE"] ?? settings.dataDirectory + "/keystore")
    }

    func passphrase(confirming: Bool = false) throws -> String {
        if let passphraseFile {
            guard let data = FileManager.default.contents(atPath: passphraseFile) else {
                throw CommandError("cannot read the passphrase file \(passphraseFile)")
            }
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
        if let passphrase = ProcessInfo.processInfo.environment["LIGHTBOX_KEY_PASSPHRASE"] { return passphrase }
        guard isatty(STDIN_FILENO) == 1, let first = getpass("Keystore passphrase: ") else {
            throw CommandError("the keystore passphrase is needed: give --passphrase-file or set LIGHTBOX_KEY_PASSPHRASE")
        }
        let passphrase = String(cString: first)
        if confirming {
            guard let again = getpass("Again: "), String(cString: again) == passphrase else {
                throw CommandError("the passphrases differ; nothing was written")
            }
        }
        return passphrase
    }
}
