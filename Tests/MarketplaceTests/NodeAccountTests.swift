import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import Node
import Persistence
import Testing

/// The node's account: actions that arrive together go in one batch with consecutive nonces, a refused one leaves
/// no gap, and the node's processes (each with a ledger of its own over one database) never race for a nonce.
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

    @Test("two processes' node accounts submitting at once: every action applied, none refused for its nonce")
    func twoProcesses() async throws {
        try await TestDatabases.with(.sqlite) { database, _ in
            _ = try await Migrator(migrations: LedgerMigrations.all).migrate(database, logger: TestDatabases.logger)
            let directory = try TestDatabases.temporaryDirectory().path
            let (dataDirectory, _) = try DataDirectory.prepare(directory)
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let parameters = try LedgerParameters(ledgerID: "node-account", governance: EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey))
            let first = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: parameters, logger: TestDatabases.logger)
            let second = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: parameters, logger: TestDatabases.logger)
            let nodes = [NodeAccount(key: identity.accountKey, ledger: first), NodeAccount(key: identity.accountKey, ledger: second)]
            try await nodes[0].submit(.faucet(amount: .tokens(100)))
            let payee = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask { try await nodes[n % 2].submit(.transfer(to: payee, amount: .tokens(1))) }
                }
                try await group.waitForAll()
            }
            #expect(try await first.account(payee).balance == .tokens(40))
            #expect(try await second.nextNonce(of: nodes[0].address) == 41)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
