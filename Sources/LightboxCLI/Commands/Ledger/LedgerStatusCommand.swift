import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Node

extension LedgerCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "The ledger's backend and state: on a chain, its contracts, how far the index has read, the relayer's balance.")
        @OptionGroup var settingsOptions: SettingsOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CommandFailure.guarding {
                let (runtime, logger) = try await NodeLauncher.startQuietly(settingsOptions)
                do {
                    let ledger = try await LedgerSetup.open(runtime, logger: logger, create: false)
                    let report = try await Self.report(ledger)
                    if json {
                        LedgerCommand.printJSON(report)
                    } else {
                        for key in report.keys.sorted() {
                            let value = report[key]!
                            if let nested = value as? [String: Any] {
                                print(key)
                                for (name, item) in nested.sorted(by: { $0.key < $1.key }) { print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(item)") }
                            } else {
                                print("\(key.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value)")
                            }
                        }
                    }
                    await runtime.stop()
                } catch {
                    await runtime.stop()
                    throw error
                }
            }
        }

        static func report(_ ledger: any LedgerBackend) async throws -> [String: Any] {
            let parameters = ledger.parameters
            var report: [String: Any] = ["ledger_id": parameters.ledgerID, "chain_id": parameters.chainID, "dev_mode": parameters.devMode]
            guard let chain = ledger as? EVMLedger else {
                report["backend"] = "embedded"
                report["entries"] = try await ledger.log?.size() ?? 0
                return report
            }
            let addresses = chain.addresses
            let head = try await chain.sender.rpc.blockNumber()
            try await chain.synchronise()
            let indexed = try await chain.indexer.cursor()?.block ?? 0
            let relayer = chain.sender.account
            report["backend"] = "evm"
            report["rpc"] = chain.sender.rpc.endpoint
            report["contracts"] = Dictionary(uniqueKeysWithValues: addresses.named.map { ($0.name, $0.address.description) })
            report["chain_head"] = head
            report["indexed_block"] = indexed
            report["indexer_lag_blocks"] = head >= indexed ? head - indexed : 0
            report["confirmations"] = chain.sender.confirmations
            report["relayer"] = relayer.description
            report["relayer_balance_wei"] = String(try await chain.sender.rpc.balance(of: relayer))
            return report
        }
    }
}
