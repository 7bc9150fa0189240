import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Node

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The ledger: the embedded one's checkpoints, entries, proofs, events and audit; deploying to a chain; its status.",
        discussion: """
            The log is an RFC 9162 Merkle tree; checkpoints are C2SP signed notes by the node's key, so tools that \
            verify transparency logs can verify this one.
            """,
        subcommands: [Head.self, VerifierKey.self, Entry.self, Proof.self, Consistency.self, Verify.self, Events.self, Deploy.self, Status.self, Anchor.self]
    )

    static func printJSON(_ object: [String: Any]) {
        print(String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "head", abstract: "Print the latest checkpoint, a signed note.")
        @OptionGroup var settingsOptions: SettingsOptions

        func run() async throws {
            try await CommandFailure.guarding {
                try await LedgerSetup.with(settingsOptions) { log, _, _, _ in print(try await log.head(), terminator: "") }
            }
        }
    }

    struct VerifierKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifier-key", abstract: "Print the checkpoints' note verifier key (name+hash+base64key).")
        @OptionGroup var settingsOptions: SettingsOptions

        func run() async throws {
            try await CommandFailure.guarding {
                // Named after the ledger's genesis entry, whatever the settings say now.
                try await LedgerSetup.with(settingsOptions) { log, _, _, _ in print(log.verifierKey) }
            }
        }
    }

    struct Entry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "entry", abstract: "Print entry N's leaf bytes exactly as hashed.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "The entry's index (0 is the genesis entry).") var index: UInt64

        func run() async throws {
            try await CommandFailure.guarding {
                try await LedgerSetup.with(settingsOptions) { ledger, _, _, _ in
                    FileHandle.standardOutput.write(Data(try await ledger.entry(index)))
                }
            }
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "proof", abstract: "Print an inclusion proof of entry N as JSON (leaf hash and path in base64).")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "The entry's index.") var index: UInt64
        @Option(help: "The tree size the proof is for (default: the whole log).") var size: UInt64?

        func run() async throws {
            try await CommandFailure.guarding {
                try await LedgerSetup.with(settingsOptions) { ledger, _, _, _ in
                    let proof = try await ledger.inclusionProof(index: index, treeSize: size)
                    LedgerCommand.printJSON([
                        "index": proof.index, "size": proof.treeSize, "leaf_hash": LedgerCommand.base64(proof.leafHash),
                        "path": proof.path.map(LedgerCommand.base64),
                    ])
                }
            }
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistency", abstract: "Print a consistency proof between two tree sizes as JSON.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "The older tree size.") var from: UInt64
        @Option(help: "The newer tree size.") var to: UInt64

        func run() async throws {
            try await CommandFailure.guarding {
                try await LedgerSetup.with(settingsOptions) { ledger, _, _, _ in
                    let path = try await ledger.consistencyProof(from: from, to: to)
                    LedgerCommand.printJSON(["from": from, "to": to, "path": path.map(LedgerCommand.base64)])
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Replay the whole log: every signature, checkpoint and event, and the state it gives.",
            discussion: """
                Exits 1 naming the first entry that does not fit if any ledger row was edited, removed or reordered. With \
                --anchored, the log is also checked against every checkpoint anchored on the chain (ledger.anchor.*): \
                a node that rewrote its history and re-signed its checkpoints still fails there.
                """)
        @OptionGroup var settingsOptions: SettingsOptions
        @Flag(help: "Also check the log against every checkpoint anchored on the chain (ledger.anchor.rpc-url and .contract).") var anchored = false

        func run() async throws {
            try await CommandFailure.guarding {
                try await LedgerSetup.with(settingsOptions) { log, _, runtime, logger in
                    let verifier = try SignedNote.Verifier(log.verifierKey)
                    let report = try await LedgerAudit.verify(database: runtime.database, verifier: verifier, logger: logger)
                    print("ok: \(report.entries) entries and \(report.checkpoints) checkpoints fit; root \(LedgerCommand.base64(report.rootHash))")
                    if anchored {
                        let (rpc, _) = try await AnchorSetup.chain(runtime.settings)
                        let anchoring = try AnchorSetup.anchoring(runtime.settings, rpc: rpc)
                        let anchors = try await AnchoredLogCheck(log: log, anchoring: anchoring).verify()
                        print(anchors.last.map {
                            "ok: the log agrees with all \(anchors.count) checkpoints anchored at \(anchoring.contract), the last at \($0.size) entries on \(LedgerTime.text($0.time))"
                        } ?? "no checkpoint is anchored at \(anchoring.contract) yet")
                    }
                }
            }
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "events", abstract: "List events, oldest first.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "Only events about this listing.") var listing: UInt64?
        @Option(help: "Only events naming this account.") var account: String?
        @Option(help: "Only events of entries after this index.") var after: UInt64?
        @Option(help: "At most this many events.") var limit = 100
        @Flag(help: "Print JSON lines.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let address = try account.map { text throws in
                    guard let address = try? EthereumAddress(text) else { throw CommandError("--account '\(text.prefix(60))' is not an address") }
                    return address
                }
                guard (1...10_000).contains(limit) else { throw CommandError("--limit must be from 1 to 10000") }
                try await LedgerSetup.with(settingsOptions) { _, ledger, _, _ in
                    for stored in try await ledger.events(listing: listing, account: address, after: after, limit: limit) {
                        let event = stored.event
                        if json {
                            LedgerCommand.printJSON([
                                "index": stored.index, "position": stored.position, "time": stored.time, "contract": event.contract,
                                "name": event.name, "fields": event.fields,
                            ])
                        } else {
                            let fields = event.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                            print("\(stored.index)  \(event.contract).\(event.name)  \(fields)")
                        }
                    }
                }
            }
        }
    }
}
