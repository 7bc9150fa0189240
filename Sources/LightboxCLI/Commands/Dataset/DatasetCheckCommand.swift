import ArgumentParser
import ContentAddressing
import Foundation
import Ledger
import LightboxCrypto
import Node
import Storage
import Marketplace
import Vision

struct DatasetCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an image dataset and its annotations, and write a report that can be verified.",
        discussion: """
            Reads COCO JSON, YOLO txt or Pascal VOC XML (detected, or named with --format), decodes every image on \
            all cores and runs every check (`lightbox dataset checks` lists them). Prints a summary; --report writes \
            the canonical JSON report (schemas/vision-report.schema.json), --overlays contact sheets of the flagged \
            images, --attest the node's signed attestation of the report. Exit status: 0 when the dataset passes \
            the policy (default: no errors and a score of at least 80), 1 when it fails, 2 when it cannot be \
            checked at all.
            """
    )

    @Argument(help: "The dataset's root folder.")
    var path: String

    @Option(help: "auto, coco, yolo, voc, cvat or imagenet (class folders).")
    var format = "auto"

    @Option(help: ArgumentHelp("Write the report (canonical JSON) here.", valueName: "file"))
    var report: String?

    @Option(help: ArgumentHelp("Write contact sheets of the flagged images here.", valueName: "dir"))
    var overlays: String?

    @Option(help: ArgumentHelp("A policy file (JSON): min_score, max_errors, severity, thresholds.", valueName: "file"))
    var policy: String?

    @Option(name: .customLong("pixel-budget"), help: "The most pixels an image may have (default 100 megapixels).")
    var pixelBudget = ImageDecoder.defaultPixelBudget

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "Bytes image decoding may hold at once (default 512 MiB); an image that alone needs more is reported.", valueName: "bytes"))
    var memoryLimit = DecodingBudget.defaultLimit

    @Option(help: "Images decoded at once (default: one per core).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Sign an attestation of the report with the node's key and write it here.", valueName: "file"))
    var attest: String?

    @Option(name: .customLong("dataset-id"), help: "The dataset id the attested manifest names (default: the folder's name).")
    var datasetID: String?

    @Flag(help: "Also compare with every image already listed on this node's marketplace (duplicate.listed).")
    var listed = false

    @Flag(name: .customLong("print-peak-memory"), help: .hidden)
    var printPeakMemory = false

    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        guard format == "auto" || AnnotationFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be auto, coco, yolo, voc, cvat or imagenet, not '\(format)'")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        guard pixelBudget > 0 else { throw ValidationError("--pixel-budget must be positive") }
    }

    func run() async throws {
        let outcome: DatasetChecker.Outcome
        do {
            outcome = try await check()
        } catch {
            FileHandle.standardError.write(Data("lightbox: \(CommandFailure.message(for: error))\n".utf8))
            throw ExitCode(2)
        }
        let report = outcome.report
        print(DatasetSummary.text(report, outcome: outcome))
        do {
            if let path = self.report {
                try DatasetCheckCommand.writeWhole(report.canonicalJSON, to: path)
                print("report: \(path) (sha256 \(report.sha256.hexString))")
            }
            if let overlays {
                let written = try ContactSheets.write(outcome: outcome, root: path, to: overlays)
                print("overlays: \(written) contact sheet\(written == 1 ? "" : "s") in \(overlays)")
            }
            if let attest {
                try await attestation(report, to: attest)
                print("attestation: \(attest)")
            }
        } catch {
            FileHandle.standardError.write(Data("lightbox: \(CommandFailure.message(for: error))\n".utf8))
            throw ExitCode(2)
        }
        if printPeakMemory { PeakMemory.report() }
        if !report.passed { throw ExitCode(1) }
    }

    private func check() async throws -> DatasetChecker.Outcome {
        var qualityPolicy = QualityPolicy()
        if let policy {
            guard let data = FileManager.default.contents(atPath: policy) else {
                throw CommandError("cannot read the policy file \(policy)")
            }
            qualityPolicy = try QualityPolicy(json: [UInt8](data))
        }
        var index: ListedImageIndex?
        if listed {
            let (runtime, logger) = try await NodeLauncher.startQuietly(settings)
            do {
                index = try await ListedImageStore(database: runtime.database).index(logger: logger)
                await runtime.stop()
            } catch {
                await runtime.stop()
                throw error
            }
        }
        let checker = DatasetChecker(
            format: AnnotationFormat(rawValue: format), policy: qualityPolicy, pixelBudget: pixelBudget,
            concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount, listed: index,
            memory: DecodingBudget(memoryBytes: memoryLimit))
        let progress = isatty(STDERR_FILENO) == 1 ? ProgressLine(label: "checked") : nil
        let outcome = try await checker.check(root: path) { done, total in progress?.update(done, total) }
        progress?.finish()
        return outcome
    }

    /// Signs the attestation the registry requires to mint: manifest CID, report CID and hash, score, verdict.
    private func attestation(_ report: DatasetReport, to file: String) async throws {
        let id = datasetID ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        let manifest = try DatasetManifest.describing(directory: path, datasetID: id)
        let reportCID = try UnixFSImporter(options: try ImportOptions(cidVersion: 1))
            .importBytes(report.canonicalJSON, into: DiscardingBlockSink()).cid
        let (runtime, _) = try await NodeLauncher.startQuietly(settings)
        let signed = try QAAttestation.sign(
            manifestCID: manifest.cid.description, reportCID: reportCID.description, reportHash: report.sha256,
            score: UInt64(report.score), passed: report.passed, key: runtime.identity.qaKey)
        await runtime.stop()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try Self.writeWhole(Array(try encoder.encode(signed)) + [0x0A], to: file)
    }

    /// Writes a file whole or not at all (temporary file, then rename).
    static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw CommandError("cannot write \(path): check that its folder exists and is writable")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandError("cannot write \(path): \(reason)")
        }
    }
}

/// A one-line progress display on a terminal's standard error, redrawn at most every 100 ms.
final class ProgressLine: @unchecked Sendable {
    // Guarded by `lock`; updates arrive from the checker's task.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let label: String

    init(label: String) {
        self.label = label
    }

    func update(_ done: Int, _ total: Int) {
        lock.withLock {
            guard done == total || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            FileHandle.standardError.write(Data("\r\(label) \(done)/\(total) images".utf8))
        }
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
