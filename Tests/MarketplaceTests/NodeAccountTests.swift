import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import Node
import Persistence
import Testing

/// The node's account groups the actions that arrive together into one batch with consecutive nonces, and signs
/// again those behind a nonce a refused action left unused.
@Suite("Node account")
struct NodeAccountTests {
    @Test("actions at once: one refused, the rest applied with consecutive nonces")
    func grouping() async throws {
        try await TestDatabases.with(.sqlite) { database, _ in
            _ = try await Migrator(migrations: LedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
            let directory = try TestDatabases.temporaryDirectory().path
            let (dataDirectory, _) = try DataDirectory.prepare(directory)
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let parameters = try LedgerParameters(ledgerID: "node-account", governance: EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey))
            let ledger = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: parameters, logger: TestDatabases.logger)
            let node = NodeAccount(key: identity.accountKey, ledger: ledger)
            try await node.submit(.faucet(amount: .tokens(100)))
            let payee = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        do {
                            try await node.submit(.transfer(to: payee, amount: n == 7 ? .tokens(1_000) : .tokens(1)))
                            return true
                        } catch let error as LedgerError {
                            #expect(n == 7 && error.code == .insufficientFunds, "\(n): \(error.message)")
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 19)
            #expect(try await ledger.account(payee).balance == .tokens(19))
            #expect(try await ledger.nextNonce(of: node.address) == 20)
            // 21 entries (genesis, faucet, 19 transfers) in fewer batches (one checkpoint each): they were grouped.
            #expect(try await ledger.log!.size() == 21)
            let batches = try await database.query("SELECT COUNT(*) AS n FROM ledger_checkpoints", logger: TestDatabases.logger).first?.decode("n", as: Int64.self)
            #expect(try #require(batches) < 21)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
