import ContentAddressing
import Dispatch
import Foundation
public import JobQueue
import Ledger
import Node
import Storage

/// `storage.prepare`: encrypts the checked dataset under its own content key (wrapped with the node's master key),
/// stores the UnixFS DAG of the ciphertext in the blockstore, publishes it to the configured IPFS services (Kubo,
/// pinning services, and a retrieval check through the configured gateways), and leaves the publication waiting for
/// its owner's signature on the Mint intent.
///
/// The manifest of the encrypted files must be the one the attestation signed: a dataset whose files changed
/// after the check fails here. Idempotent: encryption is deterministic per dataset id and key, blocks are
/// content-addressed, and a publication that has left `preparing` is left alone.
public struct StoragePrepareJob: JobKind {
    public typealias Payload = PublicationJobPayload

    public static let name = "storage.prepare"
    public static var maxAttempts: Int { 8 }

    let market: Marketplace

    public init(market: Marketplace) {
        self.market = market
    }

    public func run(_ payload: Payload, context: JobContext) async throws {
        let store = market.publications
        let logger = context.logger
        guard let publication = try await PublicationSteps.begin(
            Self.name, of: payload.publication, in: .preparing, store: store, logger: logger),
            let attestation = publication.attestation
        else { return }
        do {
            let key = try await ContentKeyStore(database: market.database, wrapper: market.identity.contentKeys)
                .key(for: publication.id, logger: logger)
            let root = market.uploads.directory(of: publication.uploadID)
            let blocks = market.blocks
            let encrypted = try await Self.offThePool {
                let encrypted = try DatasetEncryptor(datasetID: publication.id, key: key).encrypt(directory: root, into: blocks)
                try blocks.synchronise()
                return encrypted
            }
            guard encrypted.manifestCID.description == attestation.manifestCID else {
                try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, _ in
                    publication.state = .rejected
                    publication.error = "the dataset's files changed after its check (manifest \(encrypted.manifestCID), attested \(attestation.manifestCID)); upload it again"
                }
                return
            }
            let report = try await DAGPublisher(configuration: market.storage, store: blocks, http: market.http, logger: logger)
                .publish(encrypted.contentRoot, name: publication.id)
            try await PublicationSteps.finish(Self.name, of: publication.id, store: store, logger: logger) { publication, _ in
                publication.contentRoot = encrypted.contentRoot.description
                publication.pinnedTo = ["local"] + (report.kubo.map { [$0] } ?? []) + report.pinned
                publication.state = .awaitingSignature
            }
        } catch {
            await PublicationSteps.fail(Self.name, of: publication.id, error: error, store: store, logger: logger)
            throw error
        }
    }

    /// Runs CPU- and disk-bound work on a dispatch thread, so the concurrency pool keeps serving requests.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
