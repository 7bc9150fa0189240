import Dispatch
import Foundation
public import Vision

/// Uploaded images analysed as they arrive — decoded, hashed and measured while the rest of the upload is still
/// on its way — so that the quality check, once the upload is sealed, has only the dataset-wide checks left to do
/// for them. A summary is used only for the file whose SHA-256 it has (``take(upload:)`` callers compare it with the
/// sealed file), so a replaced file, or an upload checked by another process, is simply analysed again there.
///
/// Memory is a small summary per image; uploads not taken within ``retention`` are forgotten.
/// `@unchecked Sendable`: the dictionaries are read and written only with `lock` held.
public final class ImageArrivals: @unchecked Sendable {
    private let analyzer: ImageAnalyzer
    private let lock = NSLock()
    private var summaries: [String: [String: ImageSummary]] = [:]
    private var inFlight: [String: DispatchGroup] = [:]
    private var lastArrival: [String: Date] = [:]
    /// How long, in seconds, an upload's summaries are kept waiting for its check.
    public static let retention: Double = 3600
    /// One analysis per core at a time, below the server's requests in priority; the rest wait their turn here,
    /// not on a blocked thread each.
    private static let queue: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "lightbox.marketplace.arrivals"
        queue.maxConcurrentOperationCount = ProcessInfo.processInfo.activeProcessorCount
        queue.qualityOfService = .utility
        return queue
    }()
    private static let notifications = DispatchQueue(label: "lightbox.marketplace.arrivals.done")

    public init(decoding: DecodingBudget) {
        analyzer = ImageAnalyzer(memory: decoding)
    }

    /// Analyses the image just received at `file` (the upload's `path`), in the background.
    public func arrived(upload: String, path: String, file: String) {
        let lower = path.lowercased()
        guard lower.hasSuffix(".png") || lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") else { return }
        let group: DispatchGroup
        lock.lock()
        forgetStale(now: Date())
        group = inFlight[upload] ?? DispatchGroup()
        inFlight[upload] = group
        lastArrival[upload] = Date()
        group.enter()
        lock.unlock()
        let analyzer = self.analyzer
        Self.queue.addOperation { [self] in
            let summary = analyzer.analyze(file: file, path: path)
            lock.lock()
            if summary.failure == nil { summaries[upload, default: [:]][path] = summary }
            lock.unlock()
            group.leave()
        }
    }

    /// The summaries of an upload's images, once those still being analysed are done; forgotten here afterwards.
    public func take(upload: String) async -> [String: ImageSummary] {
        let group = lock.withLock { inFlight[upload] }
        if let group {
            await withCheckedContinuation { continuation in group.notify(queue: Self.notifications) { continuation.resume() } }
        }
        return lock.withLock {
            inFlight[upload] = nil
            lastArrival[upload] = nil
            return summaries.removeValue(forKey: upload) ?? [:]
        }
    }

    /// Uploads whose last image arrived more than ``retention`` ago (abandoned, or checked elsewhere).
    private func forgetStale(now: Date) {
        for (upload, time) in lastArrival where now.timeIntervalSince(time) > Self.retention {
            summaries[upload] = nil
            inFlight[upload] = nil
            lastArrival[upload] = nil
        }
    }
}
