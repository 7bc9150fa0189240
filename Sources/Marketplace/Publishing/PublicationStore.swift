import Foundation
import JobQueue
public import LightboxCrypto
public import Logging
public import Persistence

/// Publications in the database (`market_publications`): the row keeps the owner, the state and the whole
/// ``Publication`` as JSON, so a status page is one read.
public struct PublicationStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Starts publishing an upload: seals it, records the publication and enqueues its quality check, all in one
    /// transaction.
    /// - Throws: ``MarketplaceError`` `.conflict` when the upload is sealed already or holds no files.
    public func create(upload: Upload, metadata: ListingMetadata, uploads: UploadStore, logger: Logger) async throws -> Publication {
        guard upload.fileCount > 0 else {
            throw MarketplaceError(.conflict, "upload \(upload.id) holds no files yet; send the dataset's files first")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let publication = Publication(
            id: "pub_" + SecureRandom.bytes(count: 10).hexString, owner: upload.owner, uploadID: upload.id, state: .checking,
            metadata: metadata, steps: [.init(name: VisionCheckJob.name, attempts: 0)], pinnedTo: [], createdAt: now,
            updatedAt: now)
        let queue = JobQueue(database: database, logger: logger)
        try await database.withTransaction(logger: logger) { connection in
            guard try await uploads.seal(upload.id, on: connection) else {
                throw MarketplaceError(.conflict, "upload \(upload.id) is already being published")
            }
            try await connection.execute(
                """
                INSERT INTO market_publications (id, owner, upload_id, state, details, created_at, updated_at)
                VALUES (\(publication.id), \(publication.owner.description), \(upload.id), \(publication.state.rawValue),
                        \(try Self.encode(publication)), \(now), \(now))
                """)
            try await queue.enqueue(
                VisionCheckJob.self, .init(publication: publication.id),
                options: .init(uniqueKey: publication.id, queue: upload.jobQueue), on: connection)
        }
        return publication
    }

    /// A publication, if it exists.
    public func publication(_ id: String, logger: Logger) async throws -> Publication? {
        try await database.query("SELECT details FROM market_publications WHERE id = \(id)", logger: logger)
            .first.map { try Self.decode(try $0.decode("details")) }
    }

    /// The publications of `owner`, newest first, after the cursor `before` (an id).
    public func publications(of owner: EthereumAddress, before: String?, limit: Int, logger: Logger) async throws -> [Publication] {
        // Newest first; ids are random, so a page ends at its last publication's creation time and id.
        let after: SQLQuery = before.map {
            """
            AND (created_at < (SELECT created_at FROM market_publications WHERE id = \($0))
                 OR (created_at = (SELECT created_at FROM market_publications WHERE id = \($0)) AND id < \($0)))
            """
        } ?? ""
        return try await database.query(
            """
            SELECT details FROM market_publications WHERE owner = \(owner.description) \(after)
            ORDER BY created_at DESC, id DESC LIMIT \(Int64(limit))
            """, logger: logger
        ).map { try Self.decode(try $0.decode("details")) }
    }

    /// Changes a publication in one transaction: `change` sees the current row (locked on PostgreSQL) and may
    /// enqueue follow-up jobs on the same connection. Returns the publication as stored.
    @discardableResult
    public func update(
        _ id: String, logger: Logger,
        _ change: @Sendable (inout Publication, any DatabaseConnection) async throws -> Void
    ) async throws -> Publication {
        try await database.withTransaction(logger: logger) { connection in
            guard let row = try await connection.query(
                "SELECT details FROM market_publications WHERE id = \(id)\(unsafeRaw: connection.dialect.rowLock)").first
            else {
                throw MarketplaceError(.notFound, "there is no publication \(id.prefix(40))")
            }
            var publication = try Self.decode(try row.decode("details"))
            try await change(&publication, connection)
            publication.updatedAt = Int64(Date().timeIntervalSince1970)
            try await connection.execute(
                """
                UPDATE market_publications SET state = \(publication.state.rawValue), details = \(try Self.encode(publication)),
                    updated_at = \(publication.updatedAt)
                WHERE id = \(id)
                """)
            return publication
        }
    }

    static func encode(_ publication: Publication) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(publication), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> Publication {
        try JSONDecoder().decode(Publication.self, from: Data(text.utf8))
    }
}
