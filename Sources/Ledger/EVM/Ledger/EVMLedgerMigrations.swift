public import Persistence

/// The EVM ledger's tables: nonces reserved for the relaying account, and the index of the chain's events with the
/// records they fold into, kept by the indexer from a cursor of block number and hash.
public enum EVMLedgerMigrations {
    public static let all: [Migration] = [
        Migration(module: "evm", version: 1, name: "create the relayer's nonces and the chain index") { dialect in
            [
                // A nonce handed to a sender ('reserved'), or given back because the node refused its transaction
                // ('released', reused first).
                """
                CREATE TABLE evm_nonces (
                    chain_id BIGINT NOT NULL,
                    account TEXT NOT NULL,
                    nonce BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    PRIMARY KEY (chain_id, account, nonce)
                )
                """,
                // How far the indexer has read (the last indexed block and its hash), and the next entry number to
                // give out, which only grows.
                """
                CREATE TABLE evm_cursor (
                    name TEXT PRIMARY KEY,
                    block_number BIGINT NOT NULL,
                    block_hash TEXT NOT NULL,
                    next_idx BIGINT NOT NULL
                )
                """,
                // The hashes of recently indexed blocks, to find where a reorganisation forked.
                "CREATE TABLE evm_blocks (block_number BIGINT PRIMARY KEY, block_hash TEXT NOT NULL, parent_hash TEXT NOT NULL, time BIGINT NOT NULL)",
                // Events in chain order: an entry (idx) a transaction, its events by position. idx only grows (events of
                // blocks a reorganisation dropped are deleted and the new branch's get new numbers), so a reader's
                // cursor never skips one.
                """
                CREATE TABLE evm_events (
                    idx BIGINT NOT NULL,
                    position INTEGER NOT NULL,
                    block_number BIGINT NOT NULL,
                    tx_hash TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    contract TEXT NOT NULL,
                    name TEXT NOT NULL,
                    listing_id BIGINT,
                    fields TEXT NOT NULL,
                    PRIMARY KEY (idx, position)
                )
                """,
                "CREATE INDEX evm_events_block ON evm_events (block_number)",
                "CREATE INDEX evm_events_tx ON evm_events (tx_hash)",
                "CREATE INDEX evm_events_listing ON evm_events (listing_id, idx)",
                """
                CREATE TABLE evm_event_accounts (
                    account TEXT NOT NULL,
                    idx BIGINT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (account, idx, position)
                )
                """,
                // The records the events fold into (listings, purchases, governance, operators), as JSON.
                """
                CREATE TABLE evm_records (
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    value TEXT NOT NULL,
                    lookup TEXT,
                    PRIMARY KEY (kind, id)
                )
                """,
                "CREATE INDEX evm_records_lookup ON evm_records (kind, lookup)",
                // What each indexed block changed, to undo it when a reorganisation drops the block.
                """
                CREATE TABLE evm_undo (
                    block_number BIGINT NOT NULL,
                    ord INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    previous TEXT,
                    previous_lookup TEXT,
                    PRIMARY KEY (block_number, ord)
                )
                """,
            ]
        },
    ]
}
