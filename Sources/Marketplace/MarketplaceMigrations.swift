public import Persistence

/// The marketplace's tables. Times are Unix seconds; token amounts are decimal strings of base units.
public enum MarketplaceMigrations {
    public static let all: [Migration] = [
        Migration(module: "marketplace", version: 1, name: "create sign-in, upload, publication and listing tables") { dialect in
            let flag = "BIGINT"  // 0 or 1: a Bool binds as an integer on both backends
            return [
                """
                CREATE TABLE market_challenges (
                    nonce TEXT PRIMARY KEY,
                    address TEXT NOT NULL,
                    message TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    used \(flag) NOT NULL
                )
                """,
                """
                CREATE TABLE market_tokens (
                    token_hash TEXT PRIMARY KEY,
                    address TEXT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE market_uploads (
                    id TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    state TEXT NOT NULL,
                    file_count BIGINT NOT NULL,
                    byte_count BIGINT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE market_upload_files (
                    upload_id TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (upload_id, path)
                )
                """,
                """
                CREATE TABLE market_publications (
                    id TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    upload_id TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    details TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX market_publications_owner ON market_publications (owner, id)",
                """
                CREATE TABLE market_listings (
                    listing_id BIGINT PRIMARY KEY,
                    publication_id TEXT NOT NULL UNIQUE,
                    owner TEXT NOT NULL,
                    title TEXT NOT NULL,
                    task TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    image_count BIGINT NOT NULL,
                    score BIGINT NOT NULL,
                    price_units TEXT NOT NULL,
                    price_tokens \(dialect.realType) NOT NULL,
                    commercial_use \(flag) NOT NULL,
                    ai_training \(flag) NOT NULL,
                    derivatives \(flag) NOT NULL,
                    redistribution \(flag) NOT NULL,
                    minted_at BIGINT NOT NULL,
                    card TEXT NOT NULL
                )
                """,
                "CREATE INDEX market_listings_task ON market_listings (task, listing_id)",
                "CREATE INDEX market_listings_price ON market_listings (price_tokens)",
                """
                CREATE TABLE market_listing_terms (
                    term TEXT NOT NULL,
                    listing_id BIGINT NOT NULL,
                    PRIMARY KEY (term, listing_id)
                )
                """,
            ]
        },
        Migration(module: "marketplace", version: 2, name: "follow the ledger's events; keep listings off sale out of search") { _ in
            [
                """
                CREATE TABLE market_ledger_cursor (
                    name TEXT PRIMARY KEY,
                    next_index BIGINT NOT NULL
                )
                """,
                "INSERT INTO market_ledger_cursor (name, next_index) VALUES ('reactions', 0)",
                "ALTER TABLE market_listings ADD COLUMN for_sale BIGINT NOT NULL DEFAULT 1",
            ]
        },
        Migration(module: "marketplace", version: 3, name: "search indexes: words by listing, filters in listing order") { _ in
            [
                // Rewriting a card deletes its words by listing id: without this index, a scan of every word.
                "CREATE INDEX market_listing_terms_listing ON market_listing_terms (listing_id)",
                // Every filter column in newest-first order: a search that matches few listings reads this small
                // index, not every card, and fetches only the cards it returns.
                """
                CREATE INDEX market_listings_search ON market_listings (listing_id, for_sale, task, labels, image_count,
                    score, price_tokens, commercial_use, ai_training, derivatives, redistribution, owner)
                """,
            ]
        },
        Migration(module: "marketplace", version: 4, name: "quotas and expiry: upload activity, evidence by account, challenges by address") { _ in
            [
                "ALTER TABLE market_uploads ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0",
                "UPDATE market_uploads SET updated_at = created_at",
                "CREATE INDEX market_uploads_owner ON market_uploads (owner, state)",
                "CREATE INDEX market_uploads_state ON market_uploads (state, updated_at)",
                """
                CREATE TABLE market_evidence (
                    cid TEXT NOT NULL,
                    account TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (account, cid)
                )
                """,
                "CREATE INDEX market_challenges_address ON market_challenges (address, expires_at)",
                "CREATE INDEX market_challenges_expiry ON market_challenges (expires_at)",
                "CREATE INDEX market_tokens_expiry ON market_tokens (expires_at)",
            ]
        },
        Migration(module: "marketplace", version: 5, name: "the ledger's purchases, projected by the reactions' cursor") { _ in
            [
                """
                CREATE TABLE market_purchases (
                    purchase_id BIGINT PRIMARY KEY,
                    listing_id BIGINT NOT NULL,
                    buyer TEXT NOT NULL,
                    seller TEXT NOT NULL,
                    arbiter TEXT,
                    escrow TEXT NOT NULL,
                    evidence_deadline BIGINT,
                    record TEXT NOT NULL
                )
                """,
                "CREATE INDEX market_purchases_buyer ON market_purchases (buyer, purchase_id)",
                "CREATE INDEX market_purchases_seller ON market_purchases (seller, purchase_id)",
                "CREATE INDEX market_purchases_arbiter ON market_purchases (arbiter, escrow, evidence_deadline)",
                // Purchases made before the projection existed are projected from the start of the event feed.
                "UPDATE market_ledger_cursor SET next_index = 0 WHERE name = 'reactions'",
            ]
        },
        Migration(module: "marketplace", version: 6, name: "the data directory holding each upload's files") { _ in
            ["ALTER TABLE market_uploads ADD COLUMN disk TEXT NOT NULL DEFAULT ''"]
        },
        // The listed images were once the vision module's table; it is kept as it was so that databases made then
        // and now reach the same schema, and the next step moves its rows to the marketplace's.
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
        },
        Migration(module: "marketplace", version: 7, name: "listed images: the marketplace's, with bytes' and pixels' fingerprints") { _ in
            [
                """
                CREATE TABLE market_listed_images (
                    listing TEXT NOT NULL,
                    path TEXT NOT NULL,
                    pdq TEXT NOT NULL,
                    sha256 TEXT,
                    pixels TEXT,
                    PRIMARY KEY (listing, path)
                )
                """,
                "INSERT INTO market_listed_images (listing, path, pdq) SELECT listing, path, pdq FROM vision_listed_images",
                "DROP TABLE vision_listed_images",
            ]
        },
        Migration(module: "marketplace", version: 8, name: "an owner's publications newest first") { _ in
            ["CREATE INDEX market_publications_owner_created ON market_publications (owner, created_at, id)"]
        },
        Migration(module: "marketplace", version: 9, name: "each uploaded file's plaintext CID, recorded as it arrives") { _ in
            ["ALTER TABLE market_upload_files ADD COLUMN cid TEXT"]
        },
    ]
}
