import ArgumentParser
import Ledger
import LightboxCrypto
import MarketAPI

/// What the ledger's governance account does, as signed intents through the server like every client command:
/// register arbiters and QA keys, set the platform fee and treasury.
struct GovernanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "governance",
        abstract: "Register arbiters and QA keys, set the platform fee (signed with the governance account's key).",
        discussion: """
            A development ledger made on a node's first start keeps its governance key in the node's keystore as \
            `governance`: `lightbox governance arbiter add 0x… --key governance`.
            """,
        subcommands: [Arbiter.self, QAKey.self, Fee.self])

    /// `add` or `remove`.
    enum Change: String, ExpressibleByArgument, CaseIterable {
        case add, remove
        var active: Bool { self == .add }
    }

    static func address(_ text: String) throws -> EthereumAddress {
        guard let address = try? EthereumAddress(text) else {
            throw CommandError("'\(text.prefix(60))' is not an account address (0x and 40 hex digits)")
        }
        return address
    }

    static func submit(_ action: LedgerAction, _ client: ClientOptions, saying line: String) async throws {
        let receipt = try await client.signedIn().submit(action)
        ClientOutput.show(receipt, json: client.json) { ["\(line) (ledger entry \(receipt.index))"] }
    }

    struct Arbiter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arbiter", abstract: "Add an arbiter to the registry (disputes are assigned to them in turn), or remove one.")
        @Argument(help: "add or remove") var change: Change
        @Argument(help: "The arbiter's account address.") var address: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let arbiter = try GovernanceCommand.address(address)
                try await GovernanceCommand.submit(
                    .setArbiter(arbiter, active: change.active), client,
                    saying: change == .add ? "\(arbiter) is an arbiter" : "\(arbiter) is no longer an arbiter")
            }
        }
    }

    struct QAKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qa-key", abstract: "Authorise a quality checker's QA key to attest listings, or withdraw it.")
        @Argument(help: "add or remove") var change: Change
        @Argument(help: "The QA key's address (a node's is `qa signer` in `lightbox node info`).") var signer: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let signer = try GovernanceCommand.address(signer)
                try await GovernanceCommand.submit(
                    .setQASigner(signer, active: change.active), client,
                    saying: change == .add ? "QA key \(signer) may attest listings" : "QA key \(signer) may no longer attest listings")
            }
        }
    }

    struct Fee: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fee", abstract: "Set the platform fee (basis points of what sellers are paid, at most 5000) and where it goes.")
        @Argument(help: "The fee in basis points: 250 is 2.5 %.") var bps: UInt64
        @Option(help: "The account fees are paid to.") var treasury: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await CommandFailure.guarding {
                let treasury = try GovernanceCommand.address(treasury)
                let fee = try BasisPoints(bps)
                try await GovernanceCommand.submit(
                    .setPlatformFee(fee, treasury: treasury), client, saying: "the platform fee is \(bps) basis points, paid to \(treasury)")
            }
        }
    }
}
