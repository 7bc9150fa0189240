import AsyncHTTPClient
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node
import Persistence

/// `lightbox bench ledger --backend evm`: relayed intents per second to a confirmed (and indexed) receipt on a chain,
/// beside the chain's own rate for the same transactions sent by a minimal client (pre-signed, raw
/// `eth_sendRawTransaction`, receipts polled at the same interval, nothing else), then the indexer's catch-up rate
/// over the events on chain, and the gas of each step of the marketplace's two journeys.
struct ChainLedgerBenchmark {
    let rpcURL: String
    let deployerKeyFile: String
    let intents: Int
    let indexEvents: Int
    let concurrency: Int
    let pollInterval: Duration

    static let ether: UInt128 = 1_000_000_000_000_000_000

    func run() async throws {
        let logger = Logger(label: "lightbox.bench") { _ in SwiftLogNoOpLogHandler() }
        let deployerKey = try Secp256k1.PrivateKey(hexFile: deployerKeyFile)
        let rpc = EthereumRPC(transport: HTTPJSONRPCTransport(url: rpcURL, http: .shared))
        let chainID = try await rpc.chainID()
        let timing = TransactionSender.Timing(pollInterval: pollInterval, replaceAfter: .seconds(30), timeout: .seconds(300))
        let deployer = TransactionSender(rpc: rpc, chainID: chainID, key: deployerKey, nonces: InMemoryNonceReservations(), confirmations: 1,
                                         timing: timing, logger: logger)
        let directory = NSTemporaryDirectory() + "lightbox-bench-chain-\(UUID().uuidString)"
        let (dataDirectory, _) = try DataDirectory.prepare(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
        print("deploying the contracts on chain \(chainID)…")
        let addresses = try await ChainDeployment.deploy(sender: deployer, identity: identity, paymentToken: nil, development: true,
                                                         arbiters: [deployer.account])
        let baselineKey = Secp256k1.PrivateKey.random()
        _ = try await deployer.send(to: EthereumAddress(publicKey: baselineKey.publicKey), data: [], value: 100 * Self.ether, what: "funding")

        let database = try await DatabaseOpener.open(.sqlite(path: dataDirectory.file("lightbox.sqlite")), logger: logger)
        _ = try await Migrator(migrations: AllMigrations.list).migrate(database, logger: logger)
        let relayer = TransactionSender(rpc: rpc, chainID: chainID, key: identity.accountKey,
                                        nonces: DatabaseNonceReservations(database: database, logger: logger), confirmations: 1,
                                        timing: timing, logger: logger)
        let ledger = try await EVMLedger.open(sender: relayer, addresses: addresses, database: database, logger: logger)
        var report = BenchmarkReport(name: "ledger", parameters: [
            "backend": "evm", "chain_id": "\(chainID)", "intents": "\(intents)", "concurrency": "\(concurrency)",
            "poll_ms": "\(pollInterval.milliseconds)", "confirmations": "1", "intent": "SetOperator (relayed setOperatorBySig)",
        ])

        // The same transactions both ways: SetOperator intents by fresh accounts (nonce 0 each), relayed.
        print("signing \(2 * intents) SetOperator intents…")
        let operatorAddress = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        let domain = ledger.domain(for: "SetOperator")
        func intent() throws -> SignedIntent {
            let key = Secp256k1.PrivateKey.random()
            return try Intent(.setOperator(operatorAddress, active: true), account: EthereumAddress(publicKey: key.publicKey), nonce: 0,
                              deadline: UInt64(Date().timeIntervalSince1970) + 86_400).signed(by: key, domain: domain)
        }
        let relayed = try (0..<intents).map { _ in try intent() }
        let baselineIntents = try (0..<intents).map { _ in try intent() }

        print("baseline: a minimal client sending the same transactions…")
        let baselineRate = try await MinimalChainClient(rpc: rpc, chainID: chainID, key: baselineKey, pollInterval: pollInterval)
            .send(try baselineIntents.map { try IntentCalls.relayed($0).data }, to: addresses.registry, concurrency: concurrency)

        print("relaying \(intents) intents through the EVM ledger (SQLite)…")
        let queue = WorkQueue(relayed)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while let signed = await queue.next() {
                        let result = try await ledger.submit([signed])[0]
                        if case .failure(let error) = result { throw CommandError("an intent was refused: \(error.message)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let relayedRate = Double(intents) / (ContinuousClock.now - start).seconds
        report.add("relayed_per_s", relayedRate, "intents/s")
        report.add("baseline_per_s", baselineRate, "tx/s")
        report.add("ratio", relayedRate / baselineRate, "×")

        // More events on chain, sent the cheap way, until the index has `indexEvents` to read.
        try await ledger.synchronise()
        let onChain = try await ledger.events(after: nil, limit: indexEvents + 10).count
        if onChain < indexEvents {
            print("adding \(indexEvents - onChain) events for the indexer…")
            let filler = try (0..<(indexEvents - onChain)).map { _ in try IntentCalls.relayed(try intent()).data }
            _ = try await MinimalChainClient(rpc: rpc, chainID: chainID, key: baselineKey, pollInterval: pollInterval)
                .send(filler, to: addresses.registry, concurrency: concurrency)
        }
        print("indexing the deployment's events into a fresh database…")
        let fresh = try await DatabaseOpener.open(.sqlite(path: dataDirectory.file("index.sqlite")), logger: logger)
        _ = try await Migrator(migrations: EVMLedgerMigrations.all).migrate(fresh, logger: logger)
        let indexer = ChainIndexer(rpc: rpc, database: fresh, addresses: addresses, confirmations: 1, logger: logger)
        let indexStart = ContinuousClock.now
        try await indexer.catchUp()
        let indexSeconds = (ContinuousClock.now - indexStart).seconds
        let indexed = try await fresh.query("SELECT COUNT(*) AS n FROM evm_events", logger: logger).first?.decode("n", as: Int64.self) ?? 0
        report.parameters["indexed_events"] = "\(indexed)"
        report.add("indexing_events_per_s", Double(indexed) / indexSeconds, "events/s")
        await fresh.close()

        for (name, gas) in try await JourneyGas(ledger: ledger, arbiter: deployerKey, identity: identity).measure() {
            report.add(name, Double(gas), "gas")
        }
        await database.close()
        report.print()
    }
}

/// Hands out work items to concurrent tasks.
actor WorkQueue<Item: Sendable> {
    private var items: [Item]
    private var position = 0

    init(_ items: [Item]) { self.items = items }

    func next() -> Item? {
        guard position < items.count else { return nil }
        defer { position += 1 }
        return items[position]
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }
}
