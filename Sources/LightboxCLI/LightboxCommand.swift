import ArgumentParser
import Node

@main
struct LightboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightbox",
        abstract: "Lightbox: a marketplace backend for licensed, quality-checked visual training data.",
        discussion: """
            Settings come from flags, then LIGHTBOX_* environment variables, then a JSON config file \
            (--config, LIGHTBOX_CONFIG, or config.json in the data directory), then defaults. \
            `lightbox config` shows the effective values and where each came from.
            """,
        version: LightboxVersion.current,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, ConfigCommand.self, NodeCommand.self, DatabaseCommand.self,
            JobsCommand.self, CIDCommand.self, IPFSCommand.self, KeysCommand.self, LedgerCommand.self, DatasetCommand.self, PDQCommand.self,
            BenchCommand.self, FaucetCommand.self, BalanceCommand.self, LoginCommand.self, PublishCommand.self, ListingsCommand.self, ListingCommand.self,
            PublicationsCommand.self, PublicationCommand.self, BuyCommand.self, PullCommand.self, AcceptCommand.self, PurchasesCommand.self,
            DisputeCommand.self, LicenceCommand.self, GovernanceCommand.self, DemoCommand.self,
        ]
    )

    static func main() async {
        await main(ArgumentNormalisation.normalised(Array(CommandLine.arguments.dropFirst())))
    }
}
