import Foundation
import LightboxCrypto
import LightboxTestSupport
import Marketplace
import Testing
import Vision

/// Uploaded images are analysed as they arrive; the check takes their summaries once.
@Suite("Images analysed as they arrive")
struct ImageArrivalsTests {
    @Test("each arriving image is analysed once, other files are not; taking the upload's summaries empties it")
    func arrivals() async throws {
        let directory = try TestDatabases.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Drawn and encoded on a dispatch thread: long synchronous work would hold one of the concurrency pool's
        // threads, which the suites running alongside need.
        let generated = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try DatasetGenerator(format: .coco, imageCount: 12).generate(into: directory) })
            }
        }
        let arrivals = ImageArrivals(decoding: DecodingBudget())
        for path in generated.images { arrivals.arrived(upload: "u1", path: path, file: directory + "/" + path) }
        arrivals.arrived(upload: "u1", path: "annotations/instances_train.json", file: directory + "/annotations/instances_train.json")
        let summaries = await arrivals.take(upload: "u1")
        #expect(Set(summaries.keys) == Set(generated.images))
        for (path, summary) in summaries {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)))
            #expect(summary.sha256 == SHA256.hash(bytes) && summary.isDecoded)
        }
        #expect(await arrivals.take(upload: "u1").isEmpty)
        #expect(await arrivals.take(upload: "never").isEmpty)
    }
}
