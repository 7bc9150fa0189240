import ArgumentParser
import AsyncHTTPClient
import Node
import Storage

struct IPFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ipfs",
        abstract: "Add files to the node's blockstore, publish DAGs to IPFS services, and fetch them back verified.",
        discussion: """
            The node's blockstore (blocks/ in the data directory) is what `lightbox serve` answers /ipfs/ requests \
            from. Publishing uses storage.kubo.rpc-url, storage.pinning.* and storage.gateways; fetching uses \
            storage.gateways. `lightbox config` shows them.
            """,
        subcommands: [IPFSAddCommand.self, IPFSPublishCommand.self, IPFSGetCommand.self]
    )
}

/// The storage pieces a command needs, from the settings.
enum StorageSetup {
    static func blockStore(_ settings: Settings) throws -> FileBlockStore {
        try FileBlockStore(directory: settings.dataDirectory + "/blocks")
    }

    static func configuration(_ settings: Settings) throws -> StorageConfiguration {
        StorageConfiguration(
            gateways: settings.storageGateways, gatewayTimeout: settings.storageGatewayTimeout,
            kuboRPCURL: settings.kuboRPCURL, kuboRPCToken: settings.kuboRPCToken,
            pinningServices: try settings.pinningServices(), pinningOrigins: settings.pinningOrigins)
    }

    /// Runs `body` with a storage HTTP client, shut down afterwards.
    static func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = StorageHTTPClient.make()
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
