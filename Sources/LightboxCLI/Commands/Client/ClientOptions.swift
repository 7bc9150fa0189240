import ArgumentParser
import Foundation
import Ledger
import Node

/// What every client command takes: the server, the account key from the local keystore, and the output form.
struct ClientOptions: ParsableArguments {
    @Option(help: "The Lightbox server's URL (or set LIGHTBOX_SERVER; default http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "The name of the account key in the local keystore (see `lightbox keys`); or set LIGHTBOX_KEY.")
    var key: String?

    @Flag(help: "Print JSON, for scripts.")
    var json = false

    @OptionGroup var settingsOptions: SettingsOptions
    @OptionGroup var keyOptions: KeyOptions

    var serverURL: String {
        let url = server ?? ProcessInfo.processInfo.environment["LIGHTBOX_SERVER"] ?? "http://127.0.0.1:8080"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The account keys, unlocked with the keystore passphrase.
    func accountKeys() throws -> AccountKeys {
        guard let name = key ?? ProcessInfo.processInfo.environment["LIGHTBOX_KEY"] else {
            throw CommandError("name the account key with --key NAME (create one with `lightbox keys new --name NAME`)")
        }
        return try keyOptions.store(try settingsOptions.load()).unlock(name, passphrase: try keyOptions.passphrase())
    }

    /// A client signed in with the account key.
    func signedIn() async throws -> MarketClient {
        let client = MarketClient(server: serverURL, keys: try accountKeys())
        try await client.signIn()
        return client
    }

    /// A client without an account, for public pages.
    func anonymous() -> MarketClient { MarketClient(server: serverURL, keys: nil) }
}
