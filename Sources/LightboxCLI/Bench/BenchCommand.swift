import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures, beside its baseline where it has one.",
        discussion: "The last line is `BENCH {json}` for scripts; BENCHMARKS.md records results with their machine.",
        subcommands: [
            PersistenceBenchmark.self, QueueBenchmark.self, CIDBenchmark.self, LedgerBenchmark.self, VisionBenchmark.self,
            MarketplaceBenchmark.self, PurchasesBenchmark.self, PagesBenchmark.self,
        ]
    )
}
