import ArgumentParser
import ContentAddressing
import Node
import Storage

struct IPFSAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Import a file or directory into the node's blockstore and print its root CID.",
        discussion: "The CID is the one `ipfs add` gives with the same flags; the node's gateway serves it at once."
    )

    @OptionGroup var settingsOptions: SettingsOptions
    @OptionGroup var importFlags: ImportFlags
    @Argument(help: "The file or directory.") var path: String

    func run() async throws {
        try await CommandFailure.guarding {
            let settings = try settingsOptions.load()
            let store = try StorageSetup.blockStore(settings)
            let root = try UnixFSImporter(options: try importFlags.options()).importPath(path, into: store)
            try store.synchronise()
            print(root.cid)
        }
    }
}
