import ContentAddressing
import Foundation
public import JobQueue
import Ledger
import LightboxCrypto
import Node
import Storage
import Vision

/// `vision.check`: checks an uploaded dataset, keeps its report (in the work folder and, by CID, in the
/// blockstore) and contact sheets, signs the QA attestation with the node's key, and moves the publication on —
/// to `preparing` (enqueueing `storage.prepare`) when the report passes, to `rejected` when it does not.
///
/// Idempotent: a publication that has left `checking` is not checked again.
public struct VisionCheckJob: JobKind {
    public typealias Payload = PublicationJobPayload

    public static let name = "vision.check"
    public static var maxAttempts: Int { 5 }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let store = market.publications
        let logger = context.logger
        guard let publication = try await PublicationSteps.begin(
            Self.name, of: payload.publication, in: .checking, store: store, logger: logger)
        else { return }
        let root = market.uploads.directory(of: publication.uploadID)
        let thisDisk = market.uploads.jobQueue
        var checker = DatasetChecker(
            listed: try await ListedImageStore(database: market.database).index(logger: logger), memory: market.decoding)
        checker.logger = logger
        // Images analysed as they arrived count only for the bytes that were sealed.
        let sealedFiles = try await market.uploads.files(of: publication.uploadID, logger: logger)
        let sealedDigests = Dictionary(sealedFiles.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        checker.known = await market.arrivals.take(upload: publication.uploadID).filter { path, summary in
            sealedDigests[path] == summary.sha256.hexString
        }
        let outcome: DatasetChecker.Outcome
        do {
            outcome = try await checker.check(root: root)
        } catch {
            // The dataset cannot be checked at all (no images, no annotations it can read): turned away for good.
            try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, _ in
                publication.state = .rejected
                publication.error = "the dataset cannot be checked: \(error.message)"
            }
            return
        }
        let report = outcome.report
        // The attestation may speak only for the bytes that were sealed and checked: the check's images and the
        // manifest's files are compared, by SHA-256, with the files as they were received. An image the check read
        // with the sealed bytes enters the manifest with the CID recorded as it arrived; every other file is read
        // again here.
        let sealed = SealedFiles(sealedFiles)
        let manifest = try DatasetManifest.describing(
            directory: root, datasetID: publication.id, known: sealed.vouched(by: outcome.summaries))
        if let difference = sealed.difference(checked: outcome.summaries, manifest: manifest.manifest, sha256: manifest.sha256) {
            try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, _ in
                publication.state = .rejected
                publication.error = "the dataset's files are not the ones sealed for this publication (\(difference)); nothing was attested — upload the dataset again"
            }
            return
        }
        let work = market.workDirectory(of: publication.id)
        try FileManager.default.createDirectory(atPath: work + "/overlays", withIntermediateDirectories: true)
        try WholeFile.write(report.canonicalJSON, to: work + "/report.json")
        _ = try ContactSheets.write(outcome: outcome, root: root, to: work + "/overlays")
        let sheets = ((try? FileManager.default.contentsOfDirectory(atPath: work + "/overlays")) ?? []).filter { $0.hasSuffix(".png") }.sorted()
        // The report is stored as a block, so anyone can fetch it by the CID the attestation names; a dataset that
        // passed also shows a few of its images in public, stored the same way.
        let importer = try UnixFSImporter(options: try ImportOptions(cidVersion: 1))
        let reportCID = try importer.importBytes(report.canonicalJSON, into: market.blocks).cid
        let previews = report.passed
            ? try Previews.make(outcome: outcome, root: root).map { try importer.importBytes($0.jpeg, into: market.blocks).cid.description }
            : []
        try market.blocks.synchronise()
        let attestation = try QAAttestation.sign(
            manifestCID: manifest.cid.description, reportCID: reportCID.description, reportHash: report.sha256,
            score: UInt64(report.score), passed: report.passed, key: market.identity.qaKey)
        let summary = Publication.ReportSummary(
            score: report.score, passed: report.passed, errors: report.errors, warnings: report.warnings, infos: report.infos,
            images: outcome.paths.count, annotations: outcome.dataset.annotations.count,
            labels: outcome.dataset.categories.map(\.name).sorted(), sha256: report.sha256.hexString,
            cid: reportCID.description, format: report.format.rawValue, contactSheets: sheets)
        try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, connection in
            publication.report = summary
            publication.attestation = attestation
            if report.passed {
                publication.previews = previews
                publication.state = .preparing
                // Encrypted where the files are: on this data directory.
                try await context.queue.enqueue(
                    StoragePrepareJob.self, .init(publication: publication.id),
                    options: .init(uniqueKey: publication.id, queue: thisDisk), on: connection)
            } else {
                publication.state = .rejected
                publication.error = "the quality report failed: score \(report.score), \(report.errors) errors; see the report and the contact sheets"
            }
        }
    }
}
