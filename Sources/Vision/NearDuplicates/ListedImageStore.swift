public import Logging
public import Persistence

/// The PDQ hashes of every image in every minted listing (table `vision_listed_images`), from which the
/// near-duplicate index of `duplicate.listed` is built. Minting adds a listing's images from its signed report.
public struct ListedImageStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Records a listing's images. Adding the same listing again changes nothing.
    /// - Parameter images: path and hash of each image (a report's `images` section).
    public func add(listing: String, images: [(path: String, hash: PDQHash)], logger: Logger) async throws {
        guard !images.isEmpty else { return }
        try await database.withTransaction(logger: logger) { connection in
            try await Self.add(listing: listing, images: images, on: connection)
        }
    }

    /// Records a listing's images in `connection`'s transaction (minting does this with the listing's activation).
    public static func add(listing: String, images: [(path: String, hash: PDQHash)], on connection: any DatabaseConnection) async throws {
        // Rows go in batches; one statement per image would make a large listing slow to mint.
        for start in stride(from: 0, to: images.count, by: 200) {
            let rows: [SQLQuery] = images[start..<min(start + 200, images.count)].map { image in
                "(\(listing), \(image.path), \(image.hash.description))"
            }
            try await connection.execute(
                """
                INSERT INTO vision_listed_images (listing, path, pdq) VALUES \(SQLQuery.joined(rows, separator: ", "))
                ON CONFLICT (listing, path) DO NOTHING
                """)
        }
    }

    /// Every listed image, as an index.
    public func index(logger: Logger) async throws -> ListedImageIndex {
        let rows = try await database.query(
            "SELECT listing, path, pdq FROM vision_listed_images ORDER BY listing, path", logger: logger)
        var images: [ListedImage] = []
        images.reserveCapacity(rows.count)
        for row in rows {
            let text = try row.decode("pdq", as: String.self)
            guard let hash = PDQHash(hex: text) else {
                throw VisionError(.io, "vision_listed_images holds a malformed hash '\(text.prefix(70))'")
            }
            images.append(ListedImage(
                listing: try row.decode("listing", as: String.self), path: try row.decode("path", as: String.self), hash: hash))
        }
        return ListedImageIndex(images)
    }
}

/// The vision module's tables.
public enum VisionMigrations {
    public static let all: [Migration] = [
        Migration(module: "vision", version: 1, name: "create vision_listed_images") { _ in
            [
                """
                CREATE TABLE vision_listed_images (
                    listing TEXT NOT NULL,
                    path TEXT NOT NULL,
                    pdq TEXT NOT NULL,
                    PRIMARY KEY (listing, path)
                )
                """
            ]
        }
    ]
}
