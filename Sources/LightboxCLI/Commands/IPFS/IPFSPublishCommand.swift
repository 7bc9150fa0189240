import ArgumentParser
import AsyncHTTPClient
import ContentAddressing
import Logging
import Node
import Storage

struct IPFSPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Send a DAG from the blockstore to the configured Kubo node and pinning services, then fetch it back.",
        discussion: """
            Imports the DAG into Kubo as a CAR (checking the root Kubo reports), asks each pinning service to pin it \
            and waits until pinned, then fetches the whole DAG through storage.gateways, verifying every block.
            """
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "Name given to the pin.") var name = "lightbox"
    @Option(help: "Seconds to wait for each pinning service.") var pinTimeout = 600
    @Argument(help: "The root CID.") var cid: String

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let root = try CID(cid)
            let configuration = try StorageSetup.configuration(settings)
            guard configuration.kuboRPCURL != nil || !configuration.pinningServices.isEmpty || !configuration.gateways.isEmpty else {
                throw StorageError(
                    .configuration, "nothing to publish to: set storage.kubo.rpc-url, storage.pinning.endpoints or storage.gateways")
            }
            let (logger, _) = NodeLauncher.bootstrap(settings)
            let store = try StorageSetup.blockStore(settings)
            let report = try await StorageSetup.withHTTPClient { http in
                try await DAGPublisher(configuration: configuration, store: store, http: http, logger: logger)
                    .publish(root, name: name, pinTimeout: .seconds(pinTimeout))
            }
            if let kubo = report.kubo { print("imported into Kubo at \(kubo)") }
            for service in report.pinned { print("pinned by \(service)") }
            if let gateway = report.retrievedThrough {
                print("retrieved \(report.retrievedBlocks) verified blocks through \(gateway)")
            }
        }
    }
}
