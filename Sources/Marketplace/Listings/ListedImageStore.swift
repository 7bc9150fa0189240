public import Logging
public import Persistence
public import Vision

/// The images of every minted listing (table `market_listed_images`): their PDQ hashes, bytes' SHA-256 and
/// pixels' fingerprints, from which the check's `duplicate.listed` index is built — the marketplace's rule that
/// only an image's owner may list it. Minting adds a listing's images from its signed report.
public struct ListedImageStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Records a listing's images (``DatasetReport/listedImages(reportJSON:listing:)``). Adding the same listing
    /// again changes nothing.
    public func add(_ images: [ListedImage], logger: Logger) async throws {
        guard !images.isEmpty else { return }
        try await database.withTransaction(logger: logger) { connection in
            try await Self.add(images, on: connection)
        }
    }

    /// Records images in `connection`'s transaction (minting does this with the listing's activation).
    public static func add(_ images: [ListedImage], on connection: any DatabaseConnection) async throws {
        // Rows go in batches; one statement per image would make a large listing slow to mint.
        for start in stride(from: 0, to: images.count, by: 200) {
            let rows: [SQLQuery] = images[start..<min(start + 200, images.count)].map { image in
                "(\(image.listing), \(image.path), \(image.hash.description), \(image.sha256), \(image.pixels))"
            }
            try await connection.execute(
                """
                INSERT INTO market_listed_images (listing, path, pdq, sha256, pixels)
                VALUES \(SQLQuery.joined(rows, separator: ", "))
                ON CONFLICT (listing, path) DO NOTHING
                """)
        }
    }

    /// Every listed image, as an index.
    public func index(logger: Logger) async throws -> ListedImageIndex {
        let rows = try await database.query(
            "SELECT listing, path, pdq, sha256, pixels FROM market_listed_images ORDER BY listing, path", logger: logger)
        var images: [ListedImage] = []
        images.reserveCapacity(rows.count)
        for row in rows {
            let text = try row.decode("pdq", as: String.self)
            guard let hash = PDQHash(hex: text) else {
                throw MarketplaceError(.conflict, "market_listed_images holds a malformed hash '\(text.prefix(70))'")
            }
            images.append(ListedImage(
                listing: try row.decode("listing", as: String.self), path: try row.decode("path", as: String.self),
                hash: hash, sha256: try row.decode("sha256", as: String?.self), pixels: try row.decode("pixels", as: String?.self)))
        }
        return ListedImageIndex(images)
    }
}
