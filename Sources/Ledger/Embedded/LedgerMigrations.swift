public import Persistence

/// The embedded ledger's tables: the log (entries and the stored Merkle subtrees), signed checkpoints, an index of
/// events, and the contracts' state as it stands after the last entry.
public enum LedgerMigrations {
    public static let all: [Migration] = [
        Migration(module: "ledger", version: 1, name: "create ledger tables") { dialect in
            [
                """
                CREATE TABLE ledger_entries (
                    idx BIGINT PRIMARY KEY,
                    time BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    account TEXT,
                    leaf \(dialect.blobType) NOT NULL,
                    leaf_hash \(dialect.blobType) NOT NULL
                )
                """,
                // Perfect subtree hashes: node = level << 40 | index.
                "CREATE TABLE ledger_tree (node BIGINT PRIMARY KEY, hash \(dialect.blobType) NOT NULL)",
                """
                CREATE TABLE ledger_checkpoints (
                    size BIGINT PRIMARY KEY,
                    root_hash \(dialect.blobType) NOT NULL,
                    note TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE ledger_events (
                    idx BIGINT NOT NULL,
                    position INTEGER NOT NULL,
                    contract TEXT NOT NULL,
                    name TEXT NOT NULL,
                    listing_id BIGINT,
                    fields TEXT NOT NULL,
                    PRIMARY KEY (idx, position)
                )
                """,
                "CREATE INDEX ledger_events_listing ON ledger_events (listing_id, idx)",
                """
                CREATE TABLE ledger_event_accounts (
                    account TEXT NOT NULL,
                    idx BIGINT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (account, idx, position)
                )
                """,
                """
                CREATE TABLE ledger_state (
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (kind, id)
                )
                """,
            ]
        },
        // Looking records up without the whole state in memory (see LedgerStateRows); rows written before are
        // given their lookups when the ledger is next opened.
        Migration(module: "ledger", version: 2, name: "index state rows by what the contracts look them up by") { _ in
            [
                "ALTER TABLE ledger_state ADD COLUMN lookup TEXT",
                "CREATE INDEX ledger_state_lookup ON ledger_state (kind, lookup)",
            ]
        },
    ]
}
