import ArgumentParser
import Foundation
import LightboxCrypto

/// CID throughput of `lightbox cid` on one large file, beside `openssl dgst -sha256` (hashing is the physical
/// limit) and Debian's `ipfs_cid`, all run as separate processes on the same page-cached file in the same run.
/// Peak memory is what each process reports of itself: `lightbox cid` its VmHWM, `ipfs_cid` its "Max RSS".
struct CIDBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cid",
        abstract: "CID throughput (CIDv0 and CIDv1) and peak memory, beside openssl and ipfs_cid.",
        discussion: """
            Writes a file of random bytes (--size) in a temporary directory, reads it once so it is in the page \
            cache, then runs each tool --runs times, alternating, and reports the median rate and the largest peak \
            memory. Needs openssl and ipfs_cid (Debian packages openssl and ipfs-cid) unless --no-baseline.
            """
    )

    @Option(help: "File size: bytes, or with KiB, MiB, GiB (or KB, MB, GB).") var size = "1GiB"
    @Option(help: "Runs of each tool.") var runs = 3
    @Flag(help: "Measure lightbox only.") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard let bytes = Self.parseSize(size), bytes > 0 else {
                throw ValidationError("--size '\(size)' is not a size; write for example 1GiB or 500MB")
            }
            guard runs > 0 else { throw ValidationError("--runs must be positive") }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-cid-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = directory + "/random.bin"
            try Self.writeRandomFile(file, size: bytes)
            _ = try MeasuredProcess.run("cat", [file])  // into the page cache
            let lightbox = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path

            var tools: [(key: String, executable: String, arguments: [String])] = [
                ("lightbox_cidv0", lightbox, ["cid", "--print-peak-memory", file]),
                ("lightbox_cidv1", lightbox, ["cid", "--print-peak-memory", "--cid-version", "1", file]),
            ]
            if !noBaseline {
                tools += [("openssl_sha256", "openssl", ["dgst", "-sha256", file]), ("ipfs_cid", "ipfs_cid", [file])]
            }
            var seconds = [String: [Double]]()
            var peak = [String: Int]()
            var outputs = [String: String]()
            for _ in 0..<runs {
                for tool in tools {
                    let result = try MeasuredProcess.run(tool.executable, tool.arguments)
                    guard result.exitStatus == 0 else {
                        throw MeasuredProcess.Failure(description: "\(tool.executable) exited with \(result.exitStatus)")
                    }
                    seconds[tool.key, default: []].append(result.seconds)
                    if let bytes = Self.reportedPeak(result.standardError) { peak[tool.key] = max(peak[tool.key] ?? 0, bytes) }
                    outputs[tool.key] = result.standardOutput
                }
            }
            var report = BenchmarkReport(name: "cid", parameters: ["size_bytes": "\(bytes)", "runs": "\(runs)"])
            let megabytes = Double(bytes) / 1e6
            func rate(_ key: String) -> Double { megabytes / seconds[key]!.sorted()[seconds[key]!.count / 2] }
            for tool in tools {
                report.add("\(tool.key)_mb_per_s", rate(tool.key), "MB/s")
                if let bytes = peak[tool.key] { report.add("\(tool.key)_peak_rss_mb", Double(bytes) / 1e6, "MB") }
            }
            if !noBaseline {
                for version in ["v0", "v1"] {
                    report.add("cid\(version)_vs_openssl", rate("lightbox_cid\(version)") / rate("openssl_sha256"), "×")
                    report.add("cid\(version)_vs_ipfs_cid", rate("lightbox_cid\(version)") / rate("ipfs_cid"), "×")
                }
                let oracle = (try? JSONSerialization.jsonObject(with: Data(outputs["ipfs_cid"]!.utf8)) as? [String: String])?["CIDv0"]
                let agrees = oracle == outputs["lightbox_cidv0"]?.trimmingCharacters(in: .whitespacesAndNewlines)
                report.parameters["cidv0_equals_ipfs_cid"] = agrees ? "yes" : "NO"
            }
            report.print()
        }
    }

    /// The peak memory a tool printed on standard error: `peak_rss_bytes=N` (lightbox) or `Max RSS: N KB` (ipfs_cid).
    static func reportedPeak(_ text: String) -> Int? {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("peak_rss_bytes=") { return Int(line.dropFirst("peak_rss_bytes=".count)) }
            if line.hasPrefix("Max RSS: "), let kilobytes = Int(line.dropFirst("Max RSS: ".count).prefix { $0.isNumber }) {
                return kilobytes * 1024
            }
        }
        return nil
    }

    static func parseSize(_ text: String) -> Int? {
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Int(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)).map { $0 * factor }
        }
        return Int(text)
    }

    static func writeRandomFile(_ path: String, size: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw MeasuredProcess.Failure(description: "cannot create \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var left = size
        while left > 0 {
            let count = min(left, 8 << 20)
            try handle.write(contentsOf: SecureRandom.bytes(count: count))
            left -= count
        }
    }
}
