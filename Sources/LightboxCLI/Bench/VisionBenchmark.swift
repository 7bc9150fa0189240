import ArgumentParser
import ContentAddressing
import Foundation
import Vision

/// `lightbox dataset check` on a generated dataset, beside a Python baseline (Pillow decoding and
/// `imagehash.phash`, ops/bench/vision_baseline.py) run on the same files in the same run, both on every core;
/// PDQ alone beside `phash` alone (one core each); and near-duplicate queries against a large index of hashes.
struct VisionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vision",
        abstract: "Dataset-check throughput, PDQ throughput, peak memory and near-duplicate query time.",
        discussion: """
            Generates a clean COCO dataset of --images images (--width×--height, half PNG, half JPEG) in a temporary \
            directory, then runs `lightbox dataset check` on it as a separate process --runs times, alternating \
            with the baseline (python3 ops/bench/vision_baseline.py; needs `pip install Pillow imagehash`, or pass \
            --no-baseline). PDQ alone is timed in this process on up to 500 decoded images, one core. The index \
            figures are for --index-size random hashes with planted near-duplicates: the median and 99th percentile \
            time of a query at distance 31, beside a linear scan of the same hashes.
            """
    )

    @Option(help: "Images in the generated dataset.") var images = 2000
    @Option(help: "Image width.") var width = 640
    @Option(help: "Image height.") var height = 480
    @Option(help: "Runs of the check and of the baseline.") var runs = 1
    @Option(name: .customLong("index-size"), help: "Hashes in the near-duplicate index.") var indexSize = 1_000_000
    @Flag(help: "Measure lightbox only.") var noBaseline = false

    func run() async throws {
        try await CommandFailure.guarding {
            guard images >= 20, width >= 16, height >= 16, runs > 0, indexSize > 0 else {
                throw ValidationError("--images ≥ 20, --width and --height ≥ 16, --runs and --index-size positive")
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-bench-vision-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var generator = DatasetGenerator(format: .coco, imageCount: images, seed: 7)
            generator.width = width
            generator.height = height
            let started = Date()
            let generated = try generator.generate(into: directory)
            let generation = Date().timeIntervalSince(started)
            _ = try MeasuredProcess.run("cat", generated.images.map { directory + "/" + $0 })  // into the page cache
            let lightbox = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path

            var report = BenchmarkReport(name: "vision", parameters: [
                "images": "\(generated.images.count)", "size": "\(width)x\(height)", "runs": "\(runs)",
                "cores": "\(ProcessInfo.processInfo.activeProcessorCount)",
                "generation_seconds": String(format: "%.1f", generation),
            ])
            var checkSeconds: [Double] = []
            var checkPeak = 0
            var baselineFigures: [[(key: String, value: Double)]] = []
            var oneProcessFigures: [[(key: String, value: Double)]] = []
            for _ in 0..<runs {
                let result = try MeasuredProcess.run(lightbox, ["dataset", "check", "--print-peak-memory", directory])
                guard result.exitStatus == 0 || result.exitStatus == 1 else {
                    throw MeasuredProcess.Failure(description: "lightbox dataset check exited with \(result.exitStatus): \(result.standardError)")
                }
                checkSeconds.append(result.seconds)
                checkPeak = max(checkPeak, CIDBenchmark.reportedPeak(result.standardError) ?? 0)
                if !noBaseline {
                    baselineFigures.append(try BaselineRunner.run(
                        "ops/bench/vision_baseline.py",
                        arguments: ["--workers", "\(ProcessInfo.processInfo.activeProcessorCount)", directory]))
                    oneProcessFigures.append(try BaselineRunner.run(
                        "ops/bench/vision_baseline.py", arguments: ["--workers", "1", directory]))
                }
            }
            let count = Double(generated.images.count)
            let checkRate = count / checkSeconds.sorted()[checkSeconds.count / 2]
            report.add("check_images_per_s", checkRate, "images/s")
            report.add("check_peak_rss_mb", Double(checkPeak) / 1e6, "MB")
            let pdqRate = try Self.pdqRate(directory: directory, paths: Array(generated.images.prefix(500)))
            report.add("pdq_only_images_per_s", pdqRate, "images/s (one core)")
            report.add(
                "decode_only_images_per_s", Self.decodeRate(directory: directory, paths: generated.images),
                "images/s (every core: the decoders alone, the check's ceiling)")
            if !noBaseline {
                func median(_ key: String, of figures: [[(key: String, value: Double)]] = baselineFigures) -> Double {
                    let values = figures.compactMap { $0.first { $0.key == key }?.value }.sorted()
                    return values.isEmpty ? .nan : values[values.count / 2]
                }
                let oneProcess = median("images_per_second", of: oneProcessFigures)
                report.baselineName = "Pillow + imagehash.phash"
                report.baseline = [
                    ("check_images_per_s", median("images_per_second"), "images/s (a pool on every core)"),
                    ("check_one_process_images_per_s", oneProcess, "images/s (one Python process)"),
                    ("check_peak_rss_mb", median("peak_rss_bytes") / 1e6, "MB"),
                    ("pdq_only_images_per_s", median("phash_only_images_per_second"), "images/s (one core)"),
                ]
                report.add("check_vs_one_process", checkRate / oneProcess, "× (target ≥ 3)")
                report.add("check_vs_baseline", checkRate / median("images_per_second"), "× (pool on every core)")
                report.add("pdq_vs_phash", pdqRate / median("phash_only_images_per_second"), "×")
            }
            let index = IndexBenchmark(size: indexSize).run()
            report.add("index_build_s", index.buildSeconds, "s")
            report.add("index_query_median_ms", index.medianMilliseconds, "ms")
            report.add("index_query_p99_ms", index.p99Milliseconds, "ms")
            report.add("linear_scan_median_ms", index.linearMilliseconds, "ms")
            report.parameters["index_size"] = "\(indexSize)"
            report.parameters["index_recall"] = index.recallText
            report.print()
        }
    }

    /// Images read and decoded per second on every core, nothing else done with them: the physical limit of a
    /// check that must decode every image whole.
    private static func decodeRate(directory: String, paths: [String]) -> Double {
        let decoder = ImageDecoder()
        let started = DispatchTime.now().uptimeNanoseconds
        _ = try? ConcurrentMap.map(paths) { path in
            (try? decoder.decode([UInt8](FileManager.default.contents(atPath: directory + "/" + path) ?? Data()))) != nil
        }
        return Double(paths.count) / (Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    /// PDQ hashes per second on decoded images, one core.
    private static func pdqRate(directory: String, paths: [String]) throws -> Double {
        let decoder = ImageDecoder()
        let decoded = try paths.map { path in
            try decoder.decode([UInt8](FileManager.default.contents(atPath: directory + "/" + path) ?? Data())).image
        }
        let hasher = PDQHasher()
        let started = DispatchTime.now().uptimeNanoseconds
        var checksum = 0
        for image in decoded { checksum &+= hasher.hash(image).quality }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        precondition(checksum >= 0)
        return Double(decoded.count) / seconds
    }
}

/// Query time of ``PDQIndex`` on random hashes with planted near-duplicates, beside a linear scan.
struct IndexBenchmark {
    let size: Int

    struct Result {
        var buildSeconds: Double
        var medianMilliseconds: Double
        var p99Milliseconds: Double
        var linearMilliseconds: Double
        var recallText: String
    }

    func run() -> Result {
        var random = SystemRandomNumberGenerator()
        let hashes = (0..<size).map { _ in
            PDQHash(words: SIMD4(random.next(), random.next(), random.next(), random.next()))
        }
        // 1,000 queries: half are indexed hashes with 20–31 bits flipped (must be found), half are random.
        var queries: [(PDQHash, Int?)] = []
        for number in 0..<1000 {
            if number % 2 == 0 {
                let position = Int.random(in: 0..<size, using: &random)
                var query = hashes[position]
                for bit in (0..<256).shuffled(using: &random).prefix(Int.random(in: 20...31, using: &random)) {
                    query.words[bit / 64] ^= 1 << UInt64(bit % 64)
                }
                queries.append((query, position))
            } else {
                queries.append((PDQHash(words: SIMD4(random.next(), random.next(), random.next(), random.next())), nil))
            }
        }
        let buildStart = DispatchTime.now().uptimeNanoseconds
        let index = PDQIndex(hashes)
        let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e9
        var times: [Double] = []
        var found = 0, expected = 0
        for (query, position) in queries {
            let start = DispatchTime.now().uptimeNanoseconds
            let matches = index.matches(of: query, within: 31)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if let position {
                expected += 1
                if matches.contains(where: { $0.position == position }) { found += 1 }
            }
        }
        times.sort()
        var linear: [Double] = []
        for (query, _) in queries.prefix(20) {
            let start = DispatchTime.now().uptimeNanoseconds
            var hits = 0
            for hash in hashes where hash.distance(to: query) <= 31 { hits += 1 }
            linear.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            precondition(hits >= 0)
        }
        linear.sort()
        return Result(
            buildSeconds: buildSeconds, medianMilliseconds: times[times.count / 2],
            p99Milliseconds: times[times.count * 99 / 100], linearMilliseconds: linear[linear.count / 2],
            recallText: "\(found)/\(expected)")
    }
}
