import LightboxTestSupport
import Marketplace
import Persistence
import Testing
import Vision

/// The marketplace keeps every minted listing's images — PDQ hash, bytes' SHA-256, pixels' fingerprint — and a
/// database made when the table was the vision module's keeps its rows through the move.
@Suite("Listed image store")
struct ListedImageStoreTests {
    static let images = [
        ListedImage(listing: "41", path: "a.png", hash: PDQHash(words: SIMD4(1, 2, 3, 4)), sha256: String(repeating: "ab", count: 32), pixels: "4x4x3:00ff"),
        ListedImage(listing: "41", path: "b.png", hash: PDQHash(words: SIMD4(5, 6, 7, 8))),
    ]

    @Test("images round-trip, adding a listing twice changes nothing", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            try await Migrator(migrations: MarketplaceMigrations.all).migrate(database, logger: TestDatabases.logger)
            let store = ListedImageStore(database: database)
            try await store.add(Self.images, logger: TestDatabases.logger)
            try await store.add(Self.images, logger: TestDatabases.logger)
            let index = try await store.index(logger: TestDatabases.logger)
            #expect(index.images == Self.images)
            #expect(index.exactCopy(sha256: String(repeating: "ab", count: 32), pixels: nil)?.image.path == "a.png")
            #expect(index.exactCopy(sha256: "00", pixels: "4x4x3:00ff")?.sameBytes == false)
        }
    }

    @Test("rows of the vision module's old table move to the marketplace's", arguments: Backend.allCases)
    func legacyRowsMove(backend: Backend) async throws {
        try await TestDatabases.with(backend) { database, _ in
            let all = MarketplaceMigrations.all
            let upToVision = Array(all.prefix { !($0.module == "marketplace" && $0.version == 7) })
            try await Migrator(migrations: upToVision).migrate(database, logger: TestDatabases.logger)
            try await database.withTransaction(logger: TestDatabases.logger) { connection in
                try await connection.execute(
                    "INSERT INTO vision_listed_images (listing, path, pdq) VALUES ('7', 'old.png', \(Self.images[1].hash.description))")
            }
            try await Migrator(migrations: all).migrate(database, logger: TestDatabases.logger)
            let index = try await ListedImageStore(database: database).index(logger: TestDatabases.logger)
            #expect(index.images == [ListedImage(listing: "7", path: "old.png", hash: Self.images[1].hash)])
        }
    }
}
