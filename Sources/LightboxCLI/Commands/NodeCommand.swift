import ArgumentParser
import Foundation
import LightboxCrypto
import Logging
import Node
import Persistence

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Inspect this node.",
        subcommands: [InfoCommand.self]
    )

    struct InfoCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Print the node's public identity, data directory, database and live processes.",
            discussion: "Creates the node's keys on first use. Never prints secret key material."
        )

        @OptionGroup var settingsOptions: SettingsOptions

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let (runtime, logger) = try await NodeLauncher.startQuietly(settingsOptions)
                let info = try await NodeInfo.gather(runtime, logger: logger)
                await runtime.stop()
                print(json ? try info.json() : info.text())
            }
        }
    }
}

/// What `lightbox node info` reports.
struct NodeInfo: Encodable {
    let version: String
    let dataDirectory: String
    let database: String
    let migrationsApplied: Int
    let signingKey: SigningKey
    /// The address of the key that signs quality attestations (secp256k1): what governance authorises.
    let qaSigner: String
    let masterKey: String
    let processes: [Process]

    struct SigningKey: Encodable {
        let algorithm: String
        let publicKeyHex: String
        let publicKeyBase64: String
        let created: Date
    }

    struct Process: Encodable {
        let id: String
        let role: String
        let host: String
        let pid: Int
        let started: Date
    }

    static func gather(_ runtime: NodeRuntime, logger: Logger) async throws -> NodeInfo {
        let status = try await runtime.migrator.status(runtime.database, logger: logger)
        let processes = try await PresenceService.live(in: runtime.database, logger: logger)
        let publicKey = runtime.identity.publicKey.bytes
        return NodeInfo(
            version: LightboxVersion.current,
            dataDirectory: URL(fileURLWithPath: runtime.dataDirectory.path).standardizedFileURL.path,
            database: runtime.database.location,
            migrationsApplied: status.filter { $0.appliedAt != nil }.count,
            signingKey: SigningKey(
                algorithm: "ed25519", publicKeyHex: publicKey.hexString,
                publicKeyBase64: Data(publicKey).base64EncodedString(), created: runtime.identity.createdAt
            ),
            qaSigner: runtime.identity.qaSigner.description,
            masterKey: "present (\(runtime.dataDirectory.file("keys/master.key")), mode 0600)",
            processes: processes.map { Process(id: $0.id, role: $0.role, host: $0.host, pid: $0.pid, started: $0.startedAt) }
        )
    }

    func text() -> String {
        var lines = [
            "version          \(version)",
            "data directory   \(dataDirectory)",
            "database         \(database) (\(migrationsApplied) migrations applied)",
            "signing key      ed25519 \(signingKey.publicKeyHex)",
            "                 base64 \(signingKey.publicKeyBase64)",
            "key created      \(signingKey.created.formatted(.iso8601))",
            "qa signer        \(qaSigner) (secp256k1; signs quality attestations)",
            "master key       \(masterKey)",
        ]
        if processes.isEmpty {
            lines.append("processes        none running")
        }
        for (index, process) in processes.enumerated() {
            lines.append(
                (index == 0 ? "processes        " : "                 ")
                    + "\(process.role) pid \(process.pid) on \(process.host) since \(process.started.formatted(.iso8601))"
            )
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        String(decoding: try JSONText.encoder(pretty: true).encode(self), as: UTF8.self)
    }
}
