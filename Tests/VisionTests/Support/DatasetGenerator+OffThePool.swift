import Foundation
import Vision

extension DatasetGenerator {
    /// Generates the dataset on a dispatch thread: drawing and encoding images is long synchronous work that would
    /// otherwise hold one of the concurrency pool's threads, which every other suite running alongside needs.
    func generatedOffThePool(into root: String) async throws -> Result {
        let generator = self
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Swift.Result { try generator.generate(into: root) })
            }
        }
    }
}
