import ArgumentParser
import Foundation
import Ledger
import LightboxCrypto
import Logging
import Marketplace
import Node
import Persistence

/// Signed intents of every kind applied to an embedded ledger on SQLite, every signature checked, and proof times
/// at the final size; beside the rate of the signature checks alone (the floor the ledger cannot beat).
struct LedgerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Apply N signed intents to an embedded ledger on SQLite and time proofs; or, with --backend evm, relay them to a chain.",
        discussion: """
            Embedded: intents are signed before the clock starts; the baseline is checking the same signatures alone \
            (EIP-712 digest and secp256k1 recovery), with no state and no database. \
            EVM (--backend evm --rpc-url URL --deployer-key-file F): deploys the contracts, relays N SetOperator intents \
            through the EVM ledger to confirmed, indexed receipts, beside a minimal client sending the same transactions \
            (the baseline); then times the indexer's catch-up over at least --index-events events, and records the gas \
            of each journey step.
            """
    )

    @Option(help: "embedded, or evm (Lightbox's contracts on a chain).") var backend = "embedded"
    @Option(help: "With --backend evm: the chain's JSON-RPC endpoint.") var rpcURL: String?
    @Option(help: "With --backend evm: a file holding the hex private key of a funded account (deploys, funds the baseline).")
    var deployerKeyFile: String?
    @Option(help: "With --backend evm: events on chain the indexer catches up over.") var indexEvents = 10_000
    @Option(help: "With --backend evm: intents (transactions) in flight at once, both ways.") var concurrency = 8
    @Option(help: "With --backend evm: how often receipts are polled, both ways (ms).") var pollMs = 20

    @Option(help: "How many intents to apply.") var intents = 20_000
    @Option(help: "A node data directory for the ledger, kept afterwards for `lightbox ledger … --data-dir` (default: a temporary one, removed).")
    var dataDir: String?
    @Option(help: "Intents per batch (one transaction and one checkpoint each).") var batch = 500
    @Option(help: "Proofs of each kind to time.") var proofs = 1_000

    func run() async throws {
        if backend == "evm" {
            try await CommandFailure.guarding {
                guard let rpcURL, let deployerKeyFile else { throw CommandError("--backend evm needs --rpc-url and --deployer-key-file") }
                guard intents > 0, concurrency > 0, pollMs > 0 else { throw ValidationError("--intents, --concurrency and --poll-ms must be positive") }
                try await ChainLedgerBenchmark(rpcURL: rpcURL, deployerKeyFile: deployerKeyFile, intents: intents, indexEvents: indexEvents,
                                               concurrency: concurrency, pollInterval: .milliseconds(pollMs)).run()
            }
            return
        }
        try await CommandFailure.guarding {
            guard backend == "embedded" else { throw CommandError("--backend is embedded or evm, not \(backend.prefix(40))") }
            guard intents > 0, batch > 0, proofs > 0 else { throw ValidationError("--intents, --batch and --proofs must be positive") }
            let logger = Logger(label: "lightbox.bench")
            let directory = dataDir ?? NSTemporaryDirectory() + "lightbox-bench-ledger-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
            let (dataDirectory, _) = try DataDirectory.prepare(directory)
            let path = dataDirectory.file("lightbox.sqlite")
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CommandError("\(path) exists already; give an empty --data-dir")
            }

            print("signing \(intents) intents…")
            let time = UInt64(Date().timeIntervalSince1970)
            var workload = try LedgerWorkload(time: time)
            try workload.make(intents)
            var report = BenchmarkReport(name: "ledger", parameters: ["intents": "\(intents)", "batch": "\(batch)", "backend": "sqlite"])

            // Baseline: the signature checks alone.
            let verifier = IntentVerifier(domain: workload.parameters.domain)
            let verifyStart = ContinuousClock.now
            for signed in workload.intents {
                try verifier.verify(signed, expectedNonce: signed.intent.nonce, now: time)
            }
            let verifyRate = Double(intents) / (ContinuousClock.now - verifyStart).seconds

            let database = try await DatabaseOpener.open(.sqlite(path: path), logger: logger)
            _ = try await Migrator(migrations: AllMigrations.list).migrate(database, logger: logger)
            let (identity, _) = try NodeIdentity.loadOrCreate(in: dataDirectory)
            let backend = try await MarketplaceAssembly.ledger(database: database, identity: identity, parameters: workload.parameters, logger: logger)
            guard let ledger = backend.log else { throw CommandError("the ledger backend keeps no transparency log to time proofs on") }
            let applyStart = ContinuousClock.now
            for chunk in stride(from: 0, to: intents, by: batch) {
                let results = try await backend.submit(Array(workload.intents[chunk..<min(intents, chunk + batch)]))
                for case .failure(let error) in results { throw CommandError("an intent of the workload was refused: \(error.message)") }
            }
            let applySeconds = (ContinuousClock.now - applyStart).seconds
            report.add("intents_per_s", Double(intents) / applySeconds, "intents/s")
            report.baselineName = "signature checks alone"
            report.baseline = [("intents_per_s", verifyRate, "intents/s")]

            let size = try await ledger.size()
            report.parameters["log_size"] = "\(size)"
            var rng = SystemRandomNumberGenerator()
            let inclusionStart = ContinuousClock.now
            for _ in 0..<proofs {
                let index = UInt64.random(in: 0..<size, using: &rng)
                let proof = try await ledger.inclusionProof(index: index, treeSize: nil)
                guard !proof.path.isEmpty || size == 1 else { throw CommandError("an empty proof for entry \(index)") }
            }
            report.add("inclusion_proof_ms", (ContinuousClock.now - inclusionStart).seconds * 1_000 / Double(proofs), "ms")
            let consistencyStart = ContinuousClock.now
            for _ in 0..<proofs {
                _ = try await ledger.consistencyProof(from: UInt64.random(in: 1...size, using: &rng), to: size)
            }
            report.add("consistency_proof_ms", (ContinuousClock.now - consistencyStart).seconds * 1_000 / Double(proofs), "ms")
            // One proof checked end to end, so the figures are of proofs that verify.
            let root = try await ledger.rootHash(treeSize: size)
            let proof = try await ledger.inclusionProof(index: size / 2, treeSize: nil)
            guard MerkleTree.verifyInclusion(leafHash: proof.leafHash, index: Int(size / 2), treeSize: Int(size), proof: proof.path, root: root) else {
                throw CommandError("an inclusion proof did not verify")
            }
            await database.close()
            report.print()
        }
    }
}
