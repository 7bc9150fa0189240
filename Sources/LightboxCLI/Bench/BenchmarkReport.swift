import Foundation

/// The figures of one benchmark run: printed for people, then as one machine-readable JSON line.
///
/// The last line of every `lightbox bench …` run starts with `BENCH ` followed by a JSON object with the
/// benchmark's name, its parameters, its figures, any baseline's figures, and the machine.
struct BenchmarkReport {
    let name: String
    var parameters: [String: String] = [:]
    var figures: [(key: String, value: Double, unit: String)] = []
    var baseline: [(key: String, value: Double, unit: String)] = []
    var baselineName: String?

    mutating func add(_ key: String, _ value: Double, _ unit: String) {
        figures.append((key, value, unit))
    }

    /// Prints a readable table, then the `BENCH {…}` line.
    func print() {
        Swift.print("benchmark \(name) on \(Machine.current.summary)")
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) { Swift.print("  \(key) = \(value)") }
        let baselineByKey = Dictionary(baseline.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for figure in figures {
            var line = "  \(figure.key.padding(toLength: 24, withPad: " ", startingAt: 0)) \(Self.format(figure.value)) \(figure.unit)"
            if let base = baselineByKey[figure.key], base > 0 {
                line += "   (\(baselineName ?? "baseline"): \(Self.format(base)) \(figure.unit), ratio \(Self.format(figure.value / base)))"
            }
            Swift.print(line)
        }
        Swift.print("BENCH " + json())
    }

    func json() -> String {
        var object: [String: Any] = [
            "bench": name,
            "parameters": parameters,
            "figures": Dictionary(figures.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
            "machine": Machine.current.dictionary,
        ]
        if let baselineName {
            object["baseline"] = [
                "name": baselineName,
                "figures": Dictionary(baseline.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.3g", value)
    }
}

/// The machine a benchmark ran on, as recorded in BENCHMARKS.md.
struct Machine {
    let cores: Int
    let memoryGiB: Double
    let cpu: String
    let os: String

    static let current: Machine = {
        let info = ProcessInfo.processInfo
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) }
        return Machine(
            cores: info.activeProcessorCount, memoryGiB: Double(info.physicalMemory) / 1_073_741_824,
            cpu: model ?? "unknown", os: info.operatingSystemVersionString
        )
    }()

    var summary: String { "\(cores) cores, \(String(format: "%.0f", memoryGiB)) GiB, \(cpu)" }
    var dictionary: [String: Any] { ["cores": cores, "memory_gib": (memoryGiB * 10).rounded() / 10, "cpu": cpu, "os": os] }
}

/// Latency percentiles from a list of samples.
struct Percentiles {
    private let sorted: [Double]
    init(_ samples: [Double]) { sorted = samples.sorted() }
    func value(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
