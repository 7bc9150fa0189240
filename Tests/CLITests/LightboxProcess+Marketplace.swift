import Foundation
import Testing

extension LightboxProcess {
    /// Makes a keystore account per name in `<directory>/d` (`keys new --light-kdf`); returns their addresses by name.
    static func accounts(_ names: [String], in directory: URL, environment: [String: String]) async throws -> [String: String] {
        var addresses: [String: String] = [:]
        for name in names {
            let made = try await run(["keys", "new", "--name", name, "--light-kdf", "--json", "--data-dir", "d"], in: directory, environment: environment, timeout: .seconds(180))
            #expect(made.status == 0, "keys new \(name): \(made.stderr)")
            addresses[name] = (try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])?["address"] as? String
        }
        return addresses
    }

    /// Starts `lightbox serve` on a free port with the data directory `d`, and waits until it answers.
    static func serve(in directory: URL, environment: [String: String]) async throws -> (server: Running, url: String) {
        // A port chosen free may be taken by another test's server before this one listens: then try another.
        for attempt in 1...3 {
            let port = try freePort()
            let server = try start(["serve", "--port", "\(port)", "--data-dir", "d"], in: directory, environment: environment)
            let url = "http://127.0.0.1:\(port)"
            do {
                _ = try await waitUntilServing(url + "/healthz", running: server)
                return (server, url)
            } catch is PortTaken where attempt < 3 {
                continue
            }
        }
        throw PortTaken()
    }
}

/// `lightbox serve` on a fresh data directory `d` whose governance is a keystore account, and client commands run
/// against it with the accounts made beside it.
struct ClientNode {
    let server: LightboxProcess.Running
    let url: String
    /// Addresses by account name (`governance` among them).
    let accounts: [String: String]
    let directory: URL
    let environment: [String: String]

    static func start(accounts names: [String], in directory: URL) async throws -> ClientNode {
        let keys = ["LIGHTBOX_KEY_PASSPHRASE": "client passphrase"]
        let accounts = try await LightboxProcess.accounts(names + ["governance"], in: directory, environment: keys)
        let (server, url) = try await LightboxProcess.serve(
            in: directory, environment: ["LIGHTBOX_LEDGER_GOVERNANCE": accounts["governance"] ?? ""])
        var environment = keys
        environment["LIGHTBOX_SERVER"] = url
        return ClientNode(server: server, url: url, accounts: accounts, directory: directory, environment: environment)
    }

    /// Runs a client command with the data directory `d` and, when given, the account key `key`.
    func run(_ arguments: [String], key: String? = nil) async throws -> LightboxProcess.Output {
        try await LightboxProcess.run(
            arguments + ["--data-dir", "d"] + (key.map { ["--key", $0] } ?? []), in: directory, environment: environment, timeout: .seconds(180))
    }

    func stop() { server.signal(SIGTERM) }
}
