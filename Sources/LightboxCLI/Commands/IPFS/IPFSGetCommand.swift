import ArgumentParser
import AsyncHTTPClient
import ContentAddressing
import Foundation
import Node
import Storage

struct IPFSGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Fetch a DAG through the configured gateways, verifying every block, and write it out.",
        discussion: """
            Blocks go to the node's blockstore; the file or directory is written to --output, which must not exist. \
            With --server URL the Lightbox node's own gateway is asked first, then the configured ones; nothing any \
            gateway sends is trusted before it matches its CID.
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "Where to write the file or directory.") var output: String
    @Argument(help: "The root CID.") var cid: String
    @Option(help: "A Lightbox server whose IPFS gateway to fetch from first (its URL).") var server: String?

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let root = try CID(cid)
            guard !FileManager.default.fileExists(atPath: output) else {
                throw StorageError(.io, "\(output) already exists; choose a new --output")
            }
            let gateways = (server.map { [$0.hasSuffix("/") ? String($0.dropLast()) : $0] } ?? []) + settings.storageGateways
            let (logger, _) = NodeLauncher.bootstrap(settings)
            let store = try StorageSetup.blockStore(settings)
            let summary = try await StorageSetup.withHTTPClient { http in
                try await TrustlessGatewayClient(
                    configuration: .init(gateways: gateways, requestTimeout: settings.storageGatewayTimeout),
                    http: http, logger: logger
                ).fetchDAG(root, into: store)
            }
            try UnixFSExtractor(source: store.get).extract(root, to: output)
            print("\(summary.blockCount) blocks (\(summary.byteCount) bytes) verified from \(summary.gateway); written to \(output)")
        }
    }
}
