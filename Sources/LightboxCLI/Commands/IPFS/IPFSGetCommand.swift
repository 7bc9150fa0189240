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
        discussion: "Blocks go to the node's blockstore; the file or directory is written to --output, which must not exist."
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "Where to write the file or directory.") var output: String
    @Argument(help: "The root CID.") var cid: String

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let root = try CID(cid)
            guard !FileManager.default.fileExists(atPath: output) else {
                throw StorageError(.io, "\(output) already exists; choose a new --output")
            }
            let (logger, _) = NodeLauncher.bootstrap(settings)
            let store = try StorageSetup.blockStore(settings)
            let summary = try await StorageSetup.withHTTPClient { http in
                try await TrustlessGatewayClient(
                    configuration: .init(gateways: settings.storageGateways, requestTimeout: settings.storageGatewayTimeout),
                    http: http, logger: logger
                ).fetchDAG(root, into: store)
            }
            try UnixFSExtractor(source: store.get).extract(root, to: output)
            print("\(summary.blockCount) blocks (\(summary.byteCount) bytes) verified from \(summary.gateway); written to \(output)")
        }
    }
}
