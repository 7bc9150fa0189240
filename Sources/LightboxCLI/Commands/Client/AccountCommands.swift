import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import MarketAPI
import Marketplace
import NIOHTTP1

struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "The account's balance, roles and next nonce.")
    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await CommandFailure.guarding {
            let account = try await client.signedIn().get("/v1/account", as: AccountResponse.self)
            ClientOutput.show(account, json: client.json) {
                ["\(account.address)  \(account.balance) tokens  roles \(account.roles.map(\.rawValue).joined(separator: ", "))"]
            }
        }
    }
}

struct FaucetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "faucet", abstract: "Mint tokens to the account (development ledgers only).")
    @OptionGroup var client: ClientOptions
    @Option(help: "How many tokens.") var amount = "1000"

    func run() async throws {
        try await CommandFailure.guarding {
            let market = try await client.signedIn()
            let receipt = try await market.submit(.faucet(amount: try TokenAmount(tokens: amount)))
            ClientOutput.show(receipt, json: client.json) { ["\(amount) tokens to \(market.address!) (ledger entry \(receipt.index))"] }
        }
    }
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in and print a bearer token, for calling the API from scripts (curl, schemathesis).",
        discussion: "The token is good for an hour: `curl -H \"Authorization: Bearer $(lightbox login --key alice)\" …`.")
    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await CommandFailure.guarding {
            let market = try await client.signedIn()
            guard let token = market.token else { throw CommandError("the server gave no token") }
            ClientOutput.show(["token": token, "address": market.address?.description ?? ""], json: client.json) { [token] }
        }
    }
}
