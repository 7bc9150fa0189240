import Foundation
import Logging
import Persistence

/// Records each step's attempts, times and errors on its publication, for the status its owner sees.
enum PublicationSteps {
    /// The publication a job is for, with the start of `step` recorded; nil when it no longer exists or has left
    /// `state` — a job delivered again after its work was done then does nothing.
    static func begin(
        _ step: String, of id: String, in state: Publication.State, store: PublicationStore, logger: Logger
    ) async throws -> Publication? {
        guard let publication = try await store.publication(id, logger: logger), publication.state == state else { return nil }
        try await start(step, of: id, store: store, logger: logger)
        return publication
    }

    static func start(_ step: String, of id: String, store: PublicationStore, logger: Logger) async throws {
        try await store.update(id, logger: logger) { publication, _ in
            publication.step(step) {
                $0.attempts += 1
                $0.startedAt = Int64(Date().timeIntervalSince1970)
                $0.error = nil
            }
        }
    }

    static func finish(
        _ step: String, of id: String, store: PublicationStore, logger: Logger,
        _ change: @Sendable (inout Publication, any DatabaseConnection) async throws -> Void
    ) async throws {
        try await store.update(id, logger: logger) { publication, connection in
            publication.step(step) { $0.finishedAt = Int64(Date().timeIntervalSince1970) }
            try await change(&publication, connection)
        }
    }

    /// Notes a failed attempt (the queue retries it); the error is what the owner sees until the next try.
    static func fail(_ step: String, of id: String, error: any Error, store: PublicationStore, logger: Logger) async {
        _ = try? await store.update(id, logger: logger) { publication, _ in
            publication.step(step) { $0.error = "\(error)" }
        }
    }
}
