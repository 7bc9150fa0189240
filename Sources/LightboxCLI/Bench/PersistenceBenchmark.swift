import ArgumentParser
import Foundation
import Logging
import Persistence

/// Row inserts in batched transactions and primary-key lookups, through Lightbox's database layer, beside the
/// same workload in Python's sqlite3 module (for SQLite) as the baseline.
struct PersistenceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persistence",
        abstract: "Inserts and primary-key reads through the database layer (SQLite or PostgreSQL).",
        discussion: "SQLite runs beside ops/bench/persistence_baseline.py (Python sqlite3) on the same workload."
    )

    @Option(help: "sqlite or postgres.") var backend = "sqlite"
    @Option(help: "PostgreSQL URL (required for --backend postgres).") var database: String?
    @Option(help: "Rows to insert.") var rows = 20_000
    @Option(help: "Rows per transaction.") var batch = 100
    @Option(help: "Primary-key reads to time.") var reads = 5_000
    @Flag(help: "Skip the Python baseline.") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard rows > 0, batch > 0, reads > 0 else { throw ValidationError("--rows, --batch and --reads must be positive") }
            let logger = Logger(label: "lightbox.bench")
            let scratch = try BenchDatabase(backend: backend, url: database)
            let db = try await scratch.open()
            var report = BenchmarkReport(
                name: "persistence",
                parameters: ["backend": backend, "rows": "\(rows)", "batch": "\(batch)", "reads": "\(reads)"]
            )
            try await db.execute("DROP TABLE IF EXISTS bench_rows", logger: logger)
            try await db.execute("CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, n BIGINT NOT NULL)", logger: logger)

            let insertStart = ContinuousClock.now
            var next = 0
            while next < rows {
                let end = min(rows, next + batch)
                try await db.withTransaction(logger: logger) { connection in
                    for id in next..<end {
                        try await connection.execute("INSERT INTO bench_rows (id, payload, n) VALUES (\(id), \("row \(id)"), \(id * 7))")
                    }
                }
                next = end
            }
            let insertSeconds = (ContinuousClock.now - insertStart).seconds
            report.add("insert_rows_per_s", Double(rows) / insertSeconds, "rows/s")

            var generator = SystemRandomNumberGenerator()
            var samples: [Double] = []
            samples.reserveCapacity(reads)
            let readStart = ContinuousClock.now
            for _ in 0..<reads {
                let id = Int.random(in: 0..<rows, using: &generator)
                let start = ContinuousClock.now
                let found = try await db.query("SELECT payload, n FROM bench_rows WHERE id = \(id)", logger: logger)
                samples.append((ContinuousClock.now - start).seconds * 1e6)
                guard found.count == 1 else { throw ValidationError("row \(id) missing") }
            }
            report.add("reads_per_s", Double(reads) / (ContinuousClock.now - readStart).seconds, "reads/s")
            let percentiles = Percentiles(samples)
            report.add("read_p50_us", percentiles.value(0.5), "µs")
            report.add("read_p99_us", percentiles.value(0.99), "µs")
            try await db.execute("DROP TABLE bench_rows", logger: logger)
            await db.close()
            await scratch.drop()

            if backend == "sqlite" && !noBaseline {
                let baselinePath = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-baseline-\(UUID().uuidString).sqlite").path
                defer { try? FileManager.default.removeItem(atPath: baselinePath) }
                let output = try BaselineRunner.run(
                    "ops/bench/persistence_baseline.py",
                    arguments: ["--rows", "\(rows)", "--batch", "\(batch)", "--reads", "\(reads)", baselinePath]
                )
                report.baselineName = "python sqlite3"
                report.baseline = output.map { ($0.key, $0.value, "") }
            }
            report.print()
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
